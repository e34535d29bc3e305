import { ErrorCode } from '@liren/shared/contracts'
import { AppError } from './errors.js'

export interface WechatConfig {
  appid: string
  secret: string
  apiBase: string
}

export interface WechatSession {
  openid: string
  unionid: string | null
}

/** errcodes of jscode2session that mean "this code is no good", as opposed to "WeChat is unwell". */
const BAD_CODE = new Set([40029, 40163, 40226, 45011])

/** Client for WeChat's server API (the real host, or the mocks in development and tests). */
export class WechatClient {
  constructor(private readonly config: WechatConfig) {}

  async code2Session(code: string): Promise<WechatSession> {
    const url = new URL('/sns/jscode2session', this.config.apiBase)
    url.search = new URLSearchParams({
      appid: this.config.appid,
      secret: this.config.secret,
      js_code: code,
      grant_type: 'authorization_code',
    }).toString()
    let body: { openid?: string; unionid?: string; errcode?: number; errmsg?: string }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
      body = (await res.json()) as typeof body
    } catch {
      throw new AppError(503, ErrorCode.WECHAT_UNAVAILABLE, '暂时连不上微信，请稍后再试')
    }
    if (body.errcode && BAD_CODE.has(body.errcode)) {
      throw new AppError(400, ErrorCode.WECHAT_CODE_INVALID, '微信登录已失效，请重新登录', [{ field: 'code', message: '登录凭证无效或已使用' }])
    }
    if (body.errcode || !body.openid) {
      throw new AppError(503, ErrorCode.WECHAT_UNAVAILABLE, '微信登录暂时不可用，请稍后再试')
    }
    return { openid: body.openid, unionid: body.unionid ?? null }
  }

  /** Development and tests only: a login code for a chosen identity, from the mocks' dev door. */
  async devLoginCode(openid: string): Promise<string> {
    const res = await fetch(new URL('/__dev/code', this.config.apiBase), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid }),
      signal: AbortSignal.timeout(5000),
    }).catch(() => null)
    const body = res?.ok ? ((await res.json()) as { code?: string }) : null
    if (!body?.code) throw new AppError(503, ErrorCode.WECHAT_UNAVAILABLE, '模拟微信服务不可用')
    return body.code
  }
}
