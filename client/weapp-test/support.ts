/**
 * What every weapp test needs: the real server on a fresh database (../e2e/server.ts), the API as a
 * person of the demo town (to make what a page shows), and phones running the weapp output in the
 * headless runtime (runtime/mini-program.ts), signed in as someone or not at all.
 */
import { expect } from 'vitest'
import { MiniProgram, type MiniProgramOptions, type RuntimeProblem } from './runtime/mini-program'
import type { WxDevice } from './runtime/wx'

export { startServer, stopServer } from '../e2e/server'
export { MiniProgram } from './runtime/mini-program'

/** The storage keys the client keeps its sign-in under (client/src/services/session.ts). */
const TOKEN_KEY = 'liren.token'
const REFRESH_KEY = 'liren.refreshToken'

export interface Session {
  token: string
  refreshToken: string
}

/** Calls the API as `session` (or no one); throws with the answer unless it is 2xx. */
export async function api<T>(
  server: string,
  path: string,
  options: { session?: Session | null; method?: string; body?: unknown } = {},
): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST')
  const res = await fetch(`${server}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.session ? { authorization: `Bearer ${options.session.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return (text ? JSON.parse(text) : null) as T
}

/** Signs `openid` in through WeChat's (mock) code and accepts the privacy guide, as the app would. */
export async function signIn(server: string, openid: string): Promise<Session> {
  const { code } = await api<{ code: string }>(server, '/api/dev/wechat-code', { body: { openid } })
  const session = await api<Session>(server, '/api/auth/wechat', { body: { code } })
  const guide = await api<{ version: string }>(server, '/api/privacy')
  await api(server, '/api/me/privacy', { session, body: { version: guide.version } })
  return session
}

/** The id of a village `session`'s person belongs to, by name. */
export async function villageId(server: string, session: Session, name: string): Promise<number> {
  const me = await api<{ memberships: { villageId: number; villageName: string }[] }>(server, '/api/me', { session })
  const found = me.memberships.find((m) => m.villageName === name)
  if (!found) throw new Error(`not a member of ${name}`)
  return found.villageId
}

export interface PhoneOptions {
  /** Open this page first (default: the first page of app.json), with this query. */
  path?: string
  query?: Record<string, string>
  /** Signed in as this session (its tokens in the phone's storage), or signed out. */
  session?: Session | null
  device?: Partial<WxDevice>
  dir?: MiniProgramOptions['dir']
}

/** Launches the weapp on a phone of its own, as WeChat launches it (app.js, then the page). */
export async function phone(server: string, options: PhoneOptions = {}): Promise<MiniProgram> {
  const storage = new Map<string, unknown>()
  if (options.session) {
    storage.set(TOKEN_KEY, options.session.token)
    storage.set(REFRESH_KEY, options.session.refreshToken)
  }
  return MiniProgram.launch({
    server,
    storage,
    device: options.device,
    dir: options.dir,
    path: options.path,
    query: options.query,
  })
}

/** What went wrong on a phone, one line each (for a failing expectation's message). */
export function describeProblems(problems: RuntimeProblem[]): string {
  return problems.map((p) => `[${p.kind}] ${p.page ?? ''}: ${p.message.split('\n')[0]}`).join('\n')
}

/** Nothing went wrong on this phone: no console error or warning, no exception, no refused navigation. */
export function expectNoProblems(mp: MiniProgram): void {
  expect(mp.problems, describeProblems(mp.problems)).toEqual([])
}

/** The `wx.*` calls of one API the phone made, in order. */
export function callsOf(mp: MiniProgram, api: string): MiniProgram['calls'] {
  return mp.calls.filter((c) => c.api === api)
}
