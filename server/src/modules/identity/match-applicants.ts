import type { PersonMatch } from '@liren/shared/contracts'
import { and, eq, inArray, or, sql } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { households, memberships, persons } from './tables.js'

interface Applicant {
  realName: string
  birthYear: number
  householdAddress: string
}

const MAX_MATCHES = 5
const compact = (s: string) => s.replace(/[\s\u3000·,，。]/g, '')

/**
 * Roster people who may be each applicant, best first: the same name, the same birth year, or the
 * same surname and birth year (a name written differently), with the address as a tie-breaker.
 */
export async function matchApplicants(
  db: Executor,
  villageId: number,
  applicants: Applicant[],
): Promise<PersonMatch[][]> {
  if (applicants.length === 0) return []
  const names = [...new Set(applicants.map((a) => a.realName))]
  const years = [...new Set(applicants.map((a) => a.birthYear))]
  const candidates = await db
    .select({
      personId: persons.id,
      name: persons.name,
      birthDate: persons.birthDate,
      householdNumber: households.number,
      address: households.address,
      linkedMembershipId: memberships.id,
    })
    .from(persons)
    .innerJoin(households, eq(households.id, persons.householdId))
    .leftJoin(memberships, eq(memberships.personId, persons.id))
    .where(
      and(
        eq(persons.villageId, villageId),
        eq(persons.status, 'resident'),
        or(inArray(persons.name, names), inArray(sql`YEAR(${persons.birthDate})`, years)),
      ),
    )
    .limit(2000)

  return applicants.map((a) => {
    const scored = candidates.flatMap((c) => {
      const reasons: string[] = []
      let score = 0
      const sameName = c.name === a.realName
      const sameYear = Number(c.birthDate.slice(0, 4)) === a.birthYear
      const sameSurname = c.name[0] === a.realName[0]
      if (sameName) {
        score += 4
        reasons.push('姓名相同')
      }
      if (sameYear) {
        score += 2
        reasons.push('出生年份相同')
      }
      if (!sameName && !(sameYear && sameSurname)) return []
      const given = compact(a.householdAddress)
      const known = compact(c.address)
      if (given && known && (given.includes(known) || known.includes(given))) {
        score += 1
        reasons.push('住址相符')
      }
      return [
        {
          score,
          match: {
            personId: c.personId,
            name: c.name,
            birthDate: c.birthDate,
            householdNumber: c.householdNumber,
            address: c.address,
            reasons,
            linked: c.linkedMembershipId !== null,
          },
        },
      ]
    })
    return scored
      .sort((x, y) => y.score - x.score || x.match.personId - y.match.personId)
      .slice(0, MAX_MATCHES)
      .map((s) => s.match)
  })
}
