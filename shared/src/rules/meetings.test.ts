import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Electorate,
  type MeetingKind,
  type PassRule,
  type RollPerson,
  type VoteOption,
  meetingKindLabel,
  meetsPassRule,
  hearingThreshold,
  mustBeHeard,
  needsRework,
  noticeDays,
  petitionNeeds,
  petitionSucceeds,
  type PetitionCount,
  quorum,
  tally,
  validChoices,
} from './meetings.js'

/** A roll of `households` households with the given people (adult / representative flags). */
function roll(people: { household: number; adult?: boolean; representative?: boolean }[]): RollPerson[] {
  return people.map((p, i) => ({
    personId: i + 1,
    householdId: p.household,
    adult: p.adult ?? true,
    representative: p.representative ?? false,
  }))
}
const yesNo: VoteOption[] = [
  { id: 1, label: '同意', kind: 'agree' },
  { id: 2, label: '反对', kind: 'oppose' },
  { id: 3, label: '弃权', kind: 'abstain' },
]
const counts = (entries: [number, number][]) => new Map(entries)
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('pass rules at their exact thresholds', () => {
  it('过半数 is strictly more than half; 三分之二以上 includes two thirds itself', () => {
    expect([
      meetsPassRule('majority', 5, 10),
      meetsPassRule('majority', 6, 10),
      meetsPassRule('majority', 6, 11),
    ]).toEqual([false, true, true])
    expect([
      meetsPassRule('two_thirds', 6, 9),
      meetsPassRule('two_thirds', 5, 9),
      meetsPassRule('two_thirds', 7, 10),
    ]).toEqual([true, false, true])
    expect(meetsPassRule('majority', 0, 0)).toBe(false)
  })
})

describe('quorum', () => {
  // 10 households; 20 adults (two per household) and 2 children in household 1.
  const village = roll([
    ...range(1, 10).flatMap((h) => [{ household: h }, { household: h }]),
    { household: 1, adult: false },
    { household: 1, adult: false },
  ])

  it('a 村民会议 counts with more than half of the adults', () => {
    expect(quorum('villager_meeting', 'adults', village, range(1, 10)).met).toBe(false) // 10 of 20, from 5 households
    expect(quorum('villager_meeting', 'adults', village, range(1, 11)).met).toBe(true) // 11 of 20
  })

  it('…or with people from two thirds of the households, even when few adults come', () => {
    // One adult from each of households 1..7 (persons 1, 3, 5, …, 13): 7 of 20 adults, 7 of 10 households.
    const oneEach = range(1, 7).map((h) => 2 * h - 1)
    const q = quorum('villager_meeting', 'adults', village, oneEach)
    expect(q).toMatchObject({ eligible: 20, present: 7, households: 10, presentHouseholds: 7, met: true })
    expect(quorum('villager_meeting', 'adults', village, oneEach.slice(0, 6)).met).toBe(false) // 6 of 10 households
  })

  it('children and people not on the roll are not counted', () => {
    const q = quorum('villager_meeting', 'adults', village, [21, 22, 999])
    expect(q).toMatchObject({ present: 0, met: false })
  })

  it('a 村民代表会议 counts with two thirds of the representatives', () => {
    const reps = roll([...range(1, 9).map((h) => ({ household: h, representative: true })), { household: 10 }])
    expect(quorum('representative_meeting', 'representatives', reps, range(1, 6)).met).toBe(true) // 6 of 9
    expect(quorum('representative_meeting', 'representatives', reps, [...range(1, 5), 10]).met).toBe(false) // 5 of 9 and a non-representative
  })

  it('a 议事协商会 needs no quorum', () => {
    expect(quorum('deliberation', 'adults', village, []).met).toBe(true)
  })
})

describe('tally', () => {
  const village = roll(range(1, 10).map((h) => ({ household: h })))
  const base = {
    kind: 'villager_meeting' as const,
    electorate: 'adults' as const,
    passRule: 'majority' as const,
    maxChoices: 1,
    options: yesNo,
    roll: village,
  }

  /** A 同意/反对/弃权 vote of voters 1..`voters` of the village under `passRule`, tallied. */
  const yesNoVote = (
    voters: number,
    votes: { yes: number; no: number; abstain?: number },
    passRule: PassRule = 'majority',
  ) =>
    tally({
      ...base,
      passRule,
      voters: range(1, voters),
      counts: counts([
        [1, votes.yes],
        [2, votes.no],
        [3, votes.abstain ?? 0],
      ]),
    })

  it('abstentions weigh like a no: 3 yes, 2 no, 1 abstention of 6 passes; 3 yes, 1 no, 2 abstentions does not', () => {
    expect(yesNoVote(6, { yes: 4, no: 1, abstain: 1 }).outcome).toBe('passed')
    expect(yesNoVote(6, { yes: 3, no: 1, abstain: 2 }).outcome).toBe('failed')
  })

  it('a vote without quorum decides nothing, whatever the counts', () => {
    const t = yesNoVote(5, { yes: 5, no: 0 })
    expect(t).toMatchObject({ outcome: 'invalid', adopted: [], participants: 5 })
  })

  it('two thirds: 4 of 6 passes, 3 of 5 does not', () => {
    expect(yesNoVote(6, { yes: 4, no: 2 }, 'two_thirds').outcome).toBe('passed')
    expect(yesNoVote(6, { yes: 3, no: 2, abstain: 1 }, 'two_thirds').outcome).toBe('failed')
  })

  it('choices: the most voted carried up to the maximum; a tie at the last place leaves both out', () => {
    const plans: VoteOption[] = [1, 2, 3, 4].map((id) => ({ id, label: `方案${id}`, kind: 'choice' }))
    const choose = (entries: [number, number][], maxChoices: number) =>
      tally({ ...base, options: plans, maxChoices, voters: range(1, 10), counts: counts(entries) })
    expect(
      choose(
        [
          [1, 9],
          [2, 7],
          [3, 6],
          [4, 2],
        ],
        2,
      ),
    ).toMatchObject({ adopted: [1, 2], outcome: 'passed' })
    expect(
      choose(
        [
          [1, 9],
          [2, 7],
          [3, 7],
          [4, 2],
        ],
        2,
      ),
    ).toMatchObject({ adopted: [1], outcome: 'passed' })
    expect(
      choose(
        [
          [1, 5],
          [2, 5],
          [3, 5],
          [4, 5],
        ],
        2,
      ),
    ).toMatchObject({ adopted: [], outcome: 'failed' })
  })

  it('one vote per household: the households electorate counts households', () => {
    const families = roll(range(1, 6).flatMap((h) => [{ household: h }, { household: h }]))
    const t = tally({
      ...base,
      electorate: 'households',
      roll: families,
      voters: [1, 3, 5, 7],
      counts: counts([
        [1, 3],
        [2, 1],
      ]),
    })
    expect(t.quorum).toMatchObject({ eligible: 6, present: 4, met: true })
    expect(t.outcome).toBe('passed')
  })
})

describe('tally against a plain reference (fast-check)', () => {
  /** The rules as a person would apply them, with fractions written out: no shared code with tally(). */
  function reference(
    kind: MeetingKind,
    electorate: Electorate,
    passRule: PassRule,
    people: RollPerson[],
    voters: Set<number>,
    yes: number,
    no: number,
  ) {
    const adults = people.filter((p) => p.adult)
    const households = new Set(adults.map((p) => p.householdId))
    const votingPeople = people.filter((p) => voters.has(p.personId))
    const votingHouseholds = new Set(votingPeople.filter((p) => p.adult).map((p) => p.householdId))
    let eligible: number
    let taking: number
    if (electorate === 'adults') {
      eligible = adults.length
      taking = votingPeople.filter((p) => p.adult).length
    } else if (electorate === 'representatives') {
      eligible = people.filter((p) => p.representative).length
      taking = votingPeople.filter((p) => p.representative).length
    } else {
      eligible = households.size
      taking = votingHouseholds.size
    }
    let valid: boolean
    if (kind === 'deliberation') valid = true
    else if (electorate === 'representatives') valid = eligible > 0 && taking >= (2 / 3) * eligible
    else if (electorate === 'households')
      valid = households.size > 0 && votingHouseholds.size >= (2 / 3) * households.size
    else
      valid =
        (eligible > 0 && taking > eligible / 2) ||
        (households.size > 0 && votingHouseholds.size >= (2 / 3) * households.size)
    if (!valid) return 'invalid'
    const enough = (n: number) => taking > 0 && (passRule === 'majority' ? n > taking / 2 : n >= (2 / 3) * taking)
    return enough(yes) && yes > no ? 'passed' : 'failed'
  }

  const person = fc.record({
    household: fc.integer({ min: 1, max: 12 }),
    adult: fc.boolean(),
    representative: fc.boolean(),
  })
  const scenario = fc
    .record({
      kind: fc.constantFrom<MeetingKind>('villager_meeting', 'representative_meeting', 'deliberation'),
      electorate: fc.constantFrom<Electorate>('adults', 'households', 'representatives'),
      passRule: fc.constantFrom<PassRule>('majority', 'two_thirds'),
      people: fc.array(person, { minLength: 0, maxLength: 40 }),
      seed: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
    })
    .map(({ kind, electorate, passRule, people, seed }) => {
      const r = roll(people)
      // Each eligible unit votes (0 = stays home, 1 = yes, 2 = no, 3 = abstains) once.
      const voters = new Set<number>()
      const units = new Set<number>()
      let yes = 0
      let no = 0
      let abstain = 0
      for (const p of r) {
        const eligible =
          electorate === 'adults' ? p.adult : electorate === 'representatives' ? p.representative : p.adult
        const unit = electorate === 'households' ? p.householdId : p.personId
        const choice = seed[p.personId - 1]!
        if (!eligible || choice === 0 || units.has(unit)) continue
        units.add(unit)
        voters.add(p.personId)
        if (choice === 1) yes++
        else if (choice === 2) no++
        else abstain++
      }
      return { kind, electorate, passRule, roll: r, voters, yes, no, abstain }
    })

  it('outcomes agree with the reference for random rolls and ballots, ties and exact thresholds included', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const t = tally({
          kind: s.kind,
          electorate: s.electorate,
          passRule: s.passRule,
          maxChoices: 1,
          options: yesNo,
          roll: s.roll,
          voters: s.voters,
          counts: counts([
            [1, s.yes],
            [2, s.no],
            [3, s.abstain],
          ]),
        })
        expect(t.outcome).toBe(reference(s.kind, s.electorate, s.passRule, s.roll, s.voters, s.yes, s.no))
        expect(t.participants).toBe(s.yes + s.no + s.abstain)
      }),
      { numRuns: 3000 },
    )
  })

  it('exact thresholds: with n taking part, ⌊n/2⌋+1 yes passes by majority and ⌊n/2⌋ does not; ⌈2n/3⌉ passes two thirds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), (n) => {
        expect(meetsPassRule('majority', Math.floor(n / 2) + 1, n)).toBe(true)
        expect(meetsPassRule('majority', Math.floor(n / 2), n)).toBe(false)
        expect(meetsPassRule('two_thirds', Math.ceil((2 * n) / 3), n)).toBe(true)
        expect(meetsPassRule('two_thirds', Math.ceil((2 * n) / 3) - 1, n)).toBe(false)
      }),
    )
  })
})

describe('other rules', () => {
  it('a ballot chooses one to maxChoices distinct options of the vote', () => {
    expect(validChoices([1, 2, 3], [2], 1)).toBe(true)
    expect(validChoices([1, 2, 3], [], 1)).toBe(false)
    expect(validChoices([1, 2, 3], [1, 2], 1)).toBe(false)
    expect(validChoices([1, 2, 3], [1, 1], 2)).toBe(false)
    expect(validChoices([1, 2, 3], [4], 1)).toBe(false)
  })

  it('a topic supported by a tenth of the adults must be heard', () => {
    expect([mustBeHeard(9, 100), mustBeHeard(10, 100), mustBeHeard(1, 0)]).toEqual([false, true, false])
    for (const adults of [1, 9, 10, 11, 95, 100, 101]) {
      expect(mustBeHeard(hearingThreshold(adults), adults)).toBe(true)
      expect(mustBeHeard(hearingThreshold(adults) - 1, adults)).toBe(false)
    }
  })

  it('提议召集: a tenth of the adults or a third of the representatives for a 村民会议, a fifth of them for a 代表会议', () => {
    const c = (
      adults: number,
      signedAdults: number,
      representatives = 0,
      signedRepresentatives = 0,
    ): PetitionCount => ({
      adults,
      signedAdults,
      representatives,
      signedRepresentatives,
      households: 0,
      signedHouseholds: 0,
    })
    const villagers = (x: PetitionCount) => petitionSucceeds('villager_meeting', x)
    const reps = (x: PetitionCount) => petitionSucceeds('representative_meeting', x)
    // A tenth of the adults, exactly at the boundary.
    expect([villagers(c(10, 1)), villagers(c(10, 0)), villagers(c(11, 1)), villagers(c(11, 2))]).toEqual([
      true,
      false,
      false,
      true,
    ])
    expect([villagers(c(100, 9)), villagers(c(100, 10))]).toEqual([false, true])
    // No adults on the roster: never, however many sign.
    expect([villagers(c(0, 0)), villagers(c(0, 5))]).toEqual([false, false])
    // A third of the representatives, without enough adults.
    expect([villagers(c(100, 0, 9, 2)), villagers(c(100, 0, 9, 3)), villagers(c(100, 0, 10, 3))]).toEqual([
      false,
      true,
      false,
    ])
    // A 代表会议: a fifth of the representatives; adults do not count.
    expect([reps(c(100, 100, 10, 1)), reps(c(100, 0, 10, 2)), reps(c(100, 0, 11, 2)), reps(c(0, 0, 0, 0))]).toEqual([
      false,
      true,
      false,
      false,
    ])
  })

  it('what a petition needs is the fewest signatures with which it succeeds', () => {
    expect(petitionNeeds('villager_meeting', { adults: 10, representatives: 9, households: 4 })).toEqual({
      adults: 1,
      representatives: 3,
      households: null,
    })
    expect(petitionNeeds('villager_meeting', { adults: 0, representatives: 0, households: 0 })).toEqual({
      adults: null,
      representatives: null,
      households: null,
    })
    expect(petitionNeeds('representative_meeting', { adults: 95, representatives: 11, households: 40 })).toEqual({
      adults: null,
      representatives: 3,
      households: null,
    })
    // A community's 居民会议 (城市居民委员会组织法 第十条): a fifth of the adults or of the households.
    expect(petitionNeeds('villager_meeting', { adults: 96, representatives: 9, households: 41 }, 'urban')).toEqual({
      adults: 20,
      representatives: null,
      households: 9,
    })
    fc.assert(
      fc.property(fc.nat(500), fc.nat(60), fc.nat(200), (adults, representatives, households) => {
        for (const place of ['rural', 'urban'] as const)
          for (const kind of ['villager_meeting', 'representative_meeting'] as const) {
            const need = petitionNeeds(kind, { adults, representatives, households }, place)
            const base = {
              adults,
              representatives,
              households,
              signedAdults: 0,
              signedRepresentatives: 0,
              signedHouseholds: 0,
            }
            for (const [way, key] of [
              ['adults', 'signedAdults'],
              ['representatives', 'signedRepresentatives'],
              ['households', 'signedHouseholds'],
            ] as const) {
              const n = need[way]
              if (n === null) continue
              expect(petitionSucceeds(kind, { ...base, [key]: n }, place)).toBe(true)
              expect(petitionSucceeds(kind, { ...base, [key]: n - 1 }, place)).toBe(false)
            }
            // The closed ways never carry it, whatever signs there.
            const closed = {
              ...base,
              signedAdults: need.adults === null ? adults : 0,
              signedRepresentatives: need.representatives === null ? representatives : 0,
              signedHouseholds: need.households === null ? households : 0,
            }
            expect(petitionSucceeds(kind, closed, place)).toBe(false)
          }
      }),
    )
  })

  it('notice is counted in calendar days in China', () => {
    // Announced 23:30 on 1 December in China (15:30 UTC), meeting 09:00 on 8 December in China.
    expect(noticeDays(new Date('2026-12-01T15:30:00Z'), new Date('2026-12-08T01:00:00Z'))).toBe(7)
  })

  it('fewer than a third 满意 sends a matter back for rework', () => {
    expect([needsRework(3, 10), needsRework(4, 12), needsRework(0, 0)]).toEqual([true, false, false])
  })

  it('names follow the place: 村民会议 in a village, 居民会议 in a community', () => {
    expect(meetingKindLabel('villager_meeting', 'rural')).toBe('村民会议')
    expect(meetingKindLabel('representative_meeting', 'urban')).toBe('居民代表会议')
  })
})
