/**
 * A demo village with something on every page: made through the real API by the people who would make
 * it (the committee stocks the shop and calls the meeting, a villager reports and proposes), so that each
 * page of the weapp opens in its real state, not empty or failed.
 */
import { randomBytes } from 'node:crypto'
import { api, signIn, villageId as villageIdOf, type Session } from './support'

export interface Village {
  server: string
  villageId: number
  hepingId: number
  townId: number
  gridId: number
  committee: Session
  resident: Session
  grid: Session
  volunteer: Session
  townAdmin: Session
  /** 张秀兰, her household, and what was made. */
  personId: number
  personName: string
  householdId: number
  householdNumber: string
  ruleCode: string
  ruleName: string
  report: { id: number; description: string }
  activity: { id: number; title: string }
  item: { id: number; name: string }
  order: { id: number; pickupCode: string }
  service: { id: number; title: string }
  /** Announced, its vote open. */
  meeting: { id: number; title: string; question: string }
  /** Held and closed: 张秀兰 voted 同意, the result is published. */
  closedMeeting: { id: number; title: string; question: string }
  /** An award above its rule's threshold, waiting for a second committee member. */
  pendingAward: { reason: string }
  topic: { id: number; title: string }
  matter: { id: number; title: string }
  /** 提议召集 for a 村民会议, started (and so signed) by 赵小明 alone: open, far from enough. */
  petition: { id: number; title: string }
}

const key = (what: string) => `weapp-${what}-${randomBytes(6).toString('hex')}`
const inDays = (days: number, hour = 9) => {
  const at = new Date(Date.now() + days * 86400_000)
  at.setUTCHours(hour, 0, 0, 0)
  return at.toISOString()
}

export async function makeVillage(server: string): Promise<Village> {
  const [committee, resident, grid, volunteer, townAdmin] = await Promise.all(
    [
      'demo-zhangjia-committee',
      'demo-zhangjia-resident',
      'demo-zhangjia-grid',
      'demo-zhangjia-volunteer',
      'demo-town-admin',
    ].map((openid) => signIn(server, openid)),
  )
  const villageId = await villageIdOf(server, committee!, '张家村')
  const hepingId = await villageIdOf(server, townAdmin!, '和平社区')
  const v = `/api/villages/${villageId}`
  const as = (session: Session) => ({ session })

  const towns = await api<{ id: number }[]>(server, '/api/towns/mine', as(townAdmin!))
  const grids = await api<{ id: number; name: string }[]>(server, `${v}/grids`, as(committee!))
  const roster = await api<{ people: { id: number; name: string; householdId: number; householdNumber: string }[] }>(
    server,
    `${v}/roster/people?q=${encodeURIComponent('张秀兰')}`,
    as(committee!),
  )
  const person = roster.people.find((p) => p.name === '张秀兰')!
  const rules = await api<
    {
      code: string
      name: string
      kind: string
      points: number
      capPerDay: number | null
      approvalThreshold: number | null
    }[]
  >(server, `${v}/points/rules`, as(committee!))
  // A rule two awards a day fit in, below the maker-checker threshold.
  const rule = rules.find(
    (r) =>
      r.kind === 'earn' &&
      (r.capPerDay === null || r.capPerDay >= 2 * r.points) &&
      (r.approvalThreshold === null || r.approvalThreshold > r.points),
  )!

  // Points for 张秀兰, so the shop order can be made and the notice and rankings have a name.
  for (const reason of ['打扫村道', '照看邻居老人']) {
    await api(server, `${v}/points/awards`, {
      session: committee,
      body: { personId: person.id, ruleCode: rule.code, points: rule.points, reason, idempotencyKey: key('award') },
    })
  }

  const report = { description: '村口路灯坏了三天，晚上看不见路' }
  const filed = await api<{ id: number }>(server, `${v}/reports`, {
    session: resident,
    body: {
      category: (await api<{ categories: string[] }>(server, `${v}/reports/settings`, as(resident!))).categories[0],
      description: report.description,
      public: true,
      idempotencyKey: key('report'),
    },
  })

  const activity = { title: '周六清扫河道' }
  const made = await api<{ id: number }>(server, `${v}/activities`, {
    session: committee,
    body: {
      title: activity.title,
      description: '带上手套，村委会备好工具',
      place: '村东河边',
      startsAt: inDays(3),
      endsAt: inDays(3, 11),
      capacity: 20,
      pointsMode: 'fixed',
      points: 5,
    },
  })

  const item = { name: '洗衣粉一袋' }
  const stocked = await api<{ id: number }>(server, `${v}/shop/items`, {
    session: committee,
    body: { name: item.name, cost: 1, stock: 10 },
  })
  const ordered = await api<{ id: number; pickupCode: string }>(server, `${v}/shop/orders`, {
    session: resident,
    body: { itemId: stocked.id, idempotencyKey: key('order') },
  })

  const service = { title: '帮忙接送孩子放学' }
  const offered = await api<{ id: number }>(server, `${v}/services`, {
    session: volunteer,
    body: { kind: 'offer', title: service.title, description: '每周一到周五下午', points: 2 },
  })

  // A 村民会议 called 紧急 for today with one secret yes/no vote, drafted by the committee: in ten minutes
  // (its vote may open from half an hour before), or begun a second ago (its vote may also close).
  const draftMeeting = (title: string, item: string, question: string, startsIn = 10 * 60_000) =>
    api<{ id: number }>(server, `${v}/meetings`, {
      session: committee,
      body: {
        kind: 'villager_meeting',
        title,
        place: '村委会大院',
        startsAt: new Date(Date.now() + startsIn).toISOString(),
        urgentReason: '雨季前要定下来',
        online: true,
        agenda: [{ title: item, vote: { question, secret: true } }],
      },
    })
  const meeting = { title: '村民会议：修村东道路', question: '同意用集体资金修村东道路' }
  const drafted = await draftMeeting(meeting.title, '村东道路硬化', meeting.question)
  const announced = await api<{ agenda: { vote: { id: number } }[] }>(server, `${v}/meetings/${drafted.id}/announce`, {
    session: committee,
    method: 'POST',
  })
  await api(server, `/api/villages/${villageId}/votes/${announced.agenda[0]!.vote.id}/open`, {
    session: committee,
    method: 'POST',
  })

  const closedMeeting = { title: '村民会议：定保洁费', question: '同意每户每年交 60 元保洁费' }
  const held = await draftMeeting(closedMeeting.title, '保洁费', closedMeeting.question, -1000)
  const heldAnnounced = await api<{ agenda: { vote: { id: number; options: { id: number; label: string }[] } }[] }>(
    server,
    `${v}/meetings/${held.id}/announce`,
    { session: committee, method: 'POST' },
  )
  const heldVote = heldAnnounced.agenda[0]!.vote
  const votes = `/api/villages/${villageId}/votes/${heldVote.id}`
  await api(server, `${votes}/open`, { session: committee, method: 'POST' })
  await api(server, `${votes}/ballots`, {
    session: resident,
    body: { choices: [heldVote.options.find((o) => o.label === '同意')!.id] },
  })
  await api(server, `${votes}/close`, { session: committee, method: 'POST' })
  await api(server, `${v}/meetings/${held.id}/start`, { session: committee, method: 'POST' })
  await api(server, `${v}/meetings/${held.id}/close`, { session: committee, method: 'POST' })

  // Above the threshold: it waits for another committee member's check.
  const checked = rules.find((r) => r.kind === 'earn' && r.approvalThreshold !== null)!
  const pendingAward = { reason: '救起落水儿童' }
  await api(server, `${v}/points/awards`, {
    session: committee,
    body: {
      personId: person.id,
      ruleCode: checked.code,
      points: checked.approvalThreshold! + 5,
      reason: pendingAward.reason,
      idempotencyKey: key('award'),
    },
  })

  const topic = { title: '村里想装几个健身器材' }
  const proposed = await api<{ id: number }>(server, `${v}/topics`, {
    session: resident,
    body: { title: topic.title, description: '老人们晚上想锻炼，放在文化广场旁边' },
  })
  const matter = { title: '村东道路硬化工程' }
  const raised = await api<{ id: number }>(server, `${v}/matters`, {
    session: committee,
    body: { title: matter.title, description: '修 800 米水泥路，预算 40 万元' },
  })

  const petition = { title: '商量村里征地补偿款怎么分' }
  const started = await api<{ id: number }>(server, `${v}/petitions`, {
    session: volunteer,
    body: { kind: 'villager_meeting', title: petition.title, reason: '补偿款到账两个月了，还没有公布怎么分' },
  })

  return {
    server,
    villageId,
    hepingId,
    townId: towns[0]!.id,
    gridId: grids[0]!.id,
    committee: committee!,
    resident: resident!,
    grid: grid!,
    volunteer: volunteer!,
    townAdmin: townAdmin!,
    personId: person.id,
    personName: person.name,
    householdId: person.householdId,
    householdNumber: person.householdNumber,
    ruleCode: rule.code,
    ruleName: rule.name,
    report: { id: filed.id, ...report },
    activity: { id: made.id, ...activity },
    item: { id: stocked.id, ...item },
    order: { id: ordered.id, pickupCode: ordered.pickupCode },
    service: { id: offered.id, ...service },
    meeting: { id: drafted.id, ...meeting },
    closedMeeting: { id: held.id, ...closedMeeting },
    pendingAward,
    topic: { id: proposed.id, ...topic },
    matter: { id: raised.id, ...matter },
    petition: { id: started.id, ...petition },
  }
}
