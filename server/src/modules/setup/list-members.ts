import type { VillageMember } from '@liren/shared/contracts'
import type { Executor } from '../../core/db.js'
import { memberViews } from './places.js'

/**
 * The members of a village with their roles, to choose committee members and grid workers from; applicants
 * still waiting are listed too, because a new village's first committee can only come from them.
 */
export async function listMembers(db: Executor, villageId: number): Promise<VillageMember[]> {
  return memberViews(db, villageId, undefined, ['verified', 'pending'])
}
