import { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { Membership } from '@liren/shared/contracts'
import { getMe } from '../services/identity'

/**
 * For pages about one village (`?villageId=`): the id, and the signed-in person's membership there
 * (null until loaded, or when they have none).
 */
export function useVillageMembership(): { villageId: number; membership: Membership | null } {
  const villageId = Number(useRouter().params.villageId)
  const [membership, setMembership] = useState<Membership | null>(null)
  useEffect(() => {
    getMe().then(
      (me) => setMembership(me.memberships.find((m) => m.villageId === villageId) ?? null),
      () => undefined,
    )
  }, [villageId])
  return { villageId, membership }
}
