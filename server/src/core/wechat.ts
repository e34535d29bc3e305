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
  /** The server's access token, kept until five minutes before it expires (WeChat limits how often one may be fetched). */
  private token: { value: string; until: number } | null = null

  constructor(private readonly config: WechatConfig) {}

  private async accessToken(): Promise<string | null> {
    if (this.token && this.token.until > Date.now()) return this.token.value
    const url = new URL('/cgi-bin/token', this.config.apiBase)
    url.search = new URLSearchParams({
      grant_type: 'client_credential',
      appid: this.config.appid,
      secret: this.config.secret,
    }).toString()
    const body = (await fetch(url, { signal: AbortSignal.timeout(5000) })
      .then((res) => res.json())
      .catch(() => null)) as { access_token?: string; expires_in?: number } | null
    if (!body?.access_token) return null
    this.token = { value: body.access_token, until: Date.now() + ((body.expires_in ?? 7200) - 300) * 1000 }
    return this.token.value
  }

  /**
   * POSTs JSON to a WeChat API that wants the access token; a token WeChat no longer accepts is fetched
   * afresh once. The answer is an image or a JSON body; null when WeChat cannot be reached.
   */
  private async post(
    path: string,
    body: unknown,
  ): Promise<
    { image: { type: string; bytes: Buffer } } | { json: { errcode?: number } & Record<string, unknown> } | null
  > {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.accessToken()
      if (!token) return null
      const url = new URL(path, this.config.apiBase)
      url.search = new URLSearchParams({ access_token: token }).toString()
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      }).catch(() => null)
      if (!res?.ok) return null
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!
      if (type.startsWith('image/')) return { image: { type, bytes: Buffer.from(await res.arrayBuffer()) } }
      const json = (await res.json().catch(() => ({}))) as { errcode?: number }
      if (json.errcode !== 40001 && json.errcode !== 42001) return { json }
      this.token = null
    }
    return null
  }

  /**
   * A mini-program code (小程序码, getwxacodeunlimit) that opens `page` with `scene` (≤ 32 characters),
   * as a data URL; null when WeChat would not make one (the caller falls back to a plain QR code).
   */
  async miniProgramCode(scene: string, page: string): Promise<string | null> {
    const answer = await this.post('/wxa/getwxacodeunlimit', { scene, page, check_path: false, width: 430 })
    return answer && 'image' in answer
      ? `data:${answer.image.type};base64,${answer.image.bytes.toString('base64')}`
      : null
  }

  /**
   * WeChat's content check (msg_sec_check v2) of text a user wrote: 'pass', 'review' or 'risky';
   * null when WeChat could not be asked.
   */
  async checkText(content: string, openid: string): Promise<'pass' | 'review' | 'risky' | null> {
    // Scene 3: forum posts / comments — what a public report is.
    const answer = await this.post('/wxa/msg_sec_check', { content, version: 2, scene: 3, openid })
    const json =
      answer && 'json' in answer ? (answer.json as { errcode?: number; result?: { suggest?: string } }) : null
    const suggest = json?.errcode === 0 ? json.result?.suggest : undefined
    return suggest === 'pass' || suggest === 'review' || suggest === 'risky' ? suggest : null
  }

  /** Sends a subscribe message (订阅消息); false when WeChat did not take it (e.g. the user has not subscribed). */
  async sendSubscribeMessage(message: {
    touser: string
    templateId: string
    page: string
    data: Record<string, string>
  }): Promise<boolean> {
    const answer = await this.post('/cgi-bin/message/subscribe/send', {
      touser: message.touser,
      template_id: message.templateId,
      page: message.page,
      data: Object.fromEntries(Object.entries(message.data).map(([k, v]) => [k, { value: v }])),
    })
    return answer !== null && 'json' in answer && answer.json.errcode === 0
  }

  /**
   * The phone number behind a code from the phone-number button (getPhoneNumber), without country code
   * (purePhoneNumber). A code is good once, for five minutes.
   */
  async phoneNumber(code: string): Promise<string> {
    const answer = await this.post('/wxa/business/getuserphonenumber', { code })
    const json =
      answer && 'json' in answer
        ? (answer.json as { errcode?: number; phone_info?: { purePhoneNumber?: unknown } })
        : null
    if (json?.errcode && BAD_CODE.has(json.errcode)) {
      throw new AppError(400, ErrorCode.WECHAT_CODE_INVALID, '手机号授权已失效，请重新授权手机号', [
        { field: 'phoneCode', message: '手机号授权码无效或已使用' },
      ])
    }
    const phone = json?.errcode === 0 ? json.phone_info?.purePhoneNumber : undefined
    if (typeof phone !== 'string' || phone === '')
      throw new AppError(503, ErrorCode.WECHAT_UNAVAILABLE, '暂时连不上微信，取不到手机号，请稍后再试')
    return phone
  }

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
      throw new AppError(400, ErrorCode.WECHAT_CODE_INVALID, '微信登录已失效，请重新登录', [
        { field: 'code', message: '登录凭证无效或已使用' },
      ])
    }
    if (body.errcode || !body.openid) {
      throw new AppError(503, ErrorCode.WECHAT_UNAVAILABLE, '微信登录暂时不可用，请稍后再试')
    }
    return { openid: body.openid, unionid: body.unionid ?? null }
  }

  /** Development and tests only: a login code for a chosen identity, from the mocks' dev door. */
  devLoginCode(openid: string): Promise<string> {
    return this.devCode('/__dev/code', { openid })
  }

  /** Development and tests only: a phone-number button code for `phone`, from the mocks' dev door. */
  devPhoneCode(phone: string): Promise<string> {
    return this.devCode('/__dev/phone-code', { phone })
  }

  private async devCode(path: string, body: Record<string, string>): Promise<string> {
    const res = await fetch(new URL(path, this.config.apiBase), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    }).catch(() => null)
    const answer = res?.ok ? ((await res.json()) as { code?: string }) : null
    if (!answer?.code) throw new AppError(503, ErrorCode.WECHAT_UNAVAILABLE, '模拟微信服务不可用')
    return answer.code
  }
}
