import type { Me, Membership } from '@liren/shared/contracts'
import { placeWords, roleLabel } from '@liren/shared/rules'

/** The membership the person is acting in: the chosen village, else the first one. */
export function currentMembership(me: Me): Membership | null {
  return me.memberships.find((m) => m.villageId === me.currentVillageId) ?? me.memberships[0] ?? null
}

/** Role words for display, e.g. "村民、村委会、村民代表". */
export function rolesText(membership: Membership): string {
  const words = membership.roles.map((role) => roleLabel(role, membership.villageKind))
  if (membership.representative) words.push(`${placeWords(membership.villageKind).member}代表`)
  return words.join('、')
}
