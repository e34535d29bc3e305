import type {
  Application,
  DevCode,
  DevIdentity,
  JoinBody,
  Me,
  Membership,
  SignedOut,
  TokenPair,
  VerifyBody,
  VillageSummary,
} from '@liren/shared/contracts'
import { request, type Handled } from './http'
import { askPrivacyConsent, clearTokens, saveTokens } from './session'

export async function signInWithWechatCode(code: string, handled?: Handled): Promise<TokenPair> {
  const pair = await request<TokenPair>('/api/auth/wechat', { method: 'POST', data: { code }, auth: false, handled })
  saveTokens(pair)
  return pair
}

/**
 * 退出登录: the server ends every sign-in of this person (on every phone); this phone forgets its tokens
 * even when the server could not be reached, so no one here can go on as them.
 */
export async function signOut(): Promise<void> {
  try {
    await request<SignedOut>('/api/auth/sign-out', { method: 'POST', handled: true })
  } catch {
    // Already signed out there, or no network: forgetting the tokens here is what is left to do.
  } finally {
    clearTokens()
  }
}

export function listVillages(): Promise<VillageSummary[]> {
  return request<VillageSummary[]>('/api/villages')
}

export function applyToJoin(villageId: number, body: JoinBody, handled?: Handled): Promise<Membership> {
  return request<Membership>(`/api/villages/${villageId}/applications`, { method: 'POST', data: body, handled })
}

export function listPendingApplications(villageId: number, handled?: Handled): Promise<Application[]> {
  return request<Application[]>(`/api/villages/${villageId}/applications?status=pending`, { handled })
}

/** `personId`: the roster person the applicant is, when the committee found them on the roster. */
export function verifyApplication(
  villageId: number,
  membershipId: number,
  personId: number | null,
  handled?: Handled,
): Promise<Application> {
  const body: VerifyBody = personId ? { personId } : {}
  return request<Application>(`/api/villages/${villageId}/applications/${membershipId}/verify`, {
    method: 'POST',
    data: body,
    handled,
  })
}

export function rejectApplication(
  villageId: number,
  membershipId: number,
  reason: string,
  handled?: Handled,
): Promise<Application> {
  return request<Application>(`/api/villages/${villageId}/applications/${membershipId}/reject`, {
    method: 'POST',
    data: { reason },
    handled,
  })
}

/** Who is signed in. Until the current privacy guide is accepted, the person is sent to it first. */
export async function getMe(): Promise<Me> {
  const me = await request<Me>('/api/me')
  if (me.needsPrivacyConsent) askPrivacyConsent()
  return me
}

export function setCurrentVillage(villageId: number): Promise<Me> {
  return request<Me>('/api/me/current-village', { method: 'PUT', data: { villageId } })
}

/** Development and test servers only: the seeded demo people one can sign in as (the picker shows its own 正在加载). */
export function listDevIdentities(handled?: Handled): Promise<DevIdentity[]> {
  return request<DevIdentity[]>('/api/dev/identities', { auth: false, handled, loading: false })
}

/** Development and test servers only: a one-time login code, used like a wx.login code. */
export function getDevWechatCode(openid: string): Promise<DevCode> {
  return request<DevCode>('/api/dev/wechat-code', { method: 'POST', data: { openid }, auth: false })
}

/** Development and test servers only: a one-time phone-number code, used like getPhoneNumber's code (H5 has no such button). */
export function getDevPhoneCode(phone: string): Promise<DevCode> {
  return request<DevCode>('/api/dev/phone-code', { method: 'POST', data: { phone } })
}
