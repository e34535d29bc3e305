import type { ConsentState, PrivacyGuide } from '@liren/shared/contracts'
import { download, request, type Handled } from './http'

/** The guide as the server has it now (no sign-in needed). */
export function getPrivacyGuide(handled?: Handled): Promise<PrivacyGuide> {
  return request<PrivacyGuide>('/api/privacy', { auth: false, handled })
}

/** Accepts one version of the guide; PRIVACY_VERSION when it is no longer the current one. */
export function acceptPrivacyGuide(version: string, handled?: Handled): Promise<ConsentState> {
  return request<ConsentState>('/api/me/privacy', { method: 'POST', data: { version }, handled })
}

/** Everything Liren holds about the caller, as one JSON file. */
export function downloadMyData(): Promise<void> {
  return download('/api/me/export', '里仁-我的数据.json')
}

/** The same, as an Excel file for people: a sheet per kind of data, in Chinese. */
export function downloadMyDataTable(): Promise<void> {
  return download('/api/me/export.xlsx', '里仁-我的数据.xlsx')
}

/** Deletes the caller's account for good; their tokens stop working. */
export function deleteAccount(handled?: Handled): Promise<{ deleted: true }> {
  return request<{ deleted: true }>('/api/me/delete', { method: 'POST', data: { confirm: '注销' }, handled })
}
