import { can, placeWords } from '@liren/shared/rules'
import { useVillageMembership } from '../../lib/village'

/**
 * The village a meetings page is about: the person's membership there, its kind and words (村 or 社区,
 * 村委会 or 居委会), and whether the person runs its meetings (the committee).
 */
export function useMeetingsVillage() {
  const { villageId, membership } = useVillageMembership()
  const kind = membership?.villageKind ?? 'rural'
  return { villageId, membership, kind, words: placeWords(kind), committee: can(membership, 'meetings.manage') }
}
