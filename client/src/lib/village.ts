import { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { Membership } from '@liren/shared/contracts'
import { getMe } from '../services/identity'

/**
 * For pages about one village (`?villageId=`, or `given` when the page learnt it otherwise, e.g. from a
 * scanned code): the id, and the signed-in person's membership there (null until `loaded`, or when they
 * have none — e.g. a town admin in another village of the town).
 */
export function useVillageMembership(given?: number): {
  villageId: number
  membership: Membership | null
  loaded: boolean
} {
  const routed = Number(useRouter().params.villageId)
  const villageId = given ?? routed
  const [membership, setMembership] = useState<Membership | null>(null)
  const [loaded, setLoaded] = useState(false)
  useEffect(() => {
    getMe().then(
      (me) => {
        setMembership(me.memberships.find((m) => m.villageId === villageId) ?? null)
        setLoaded(true)
      },
      () => setLoaded(true),
    )
  }, [villageId])
  return { villageId, membership, loaded }
}
