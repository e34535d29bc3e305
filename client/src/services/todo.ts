import type { Inbox, Todo } from '@liren/shared/contracts'
import { request } from './http'

// Counts for the red dots, asked for in the background each time a tab page shows: no loading mask, no
// error toast (the page is whole without them).

/** What waits for me in the village: things to act on by my roles, votes open to me, unread messages. */
export function getTodo(villageId: number): Promise<Todo> {
  return request<Todo>(`/api/villages/${villageId}/todo`, { handled: true, loading: false })
}

/** How many of my messages are unread (for someone with no village to-do yet, e.g. an applicant). */
export async function getUnread(): Promise<number> {
  return (await request<Inbox>('/api/notifications', { handled: true, loading: false })).unread
}
