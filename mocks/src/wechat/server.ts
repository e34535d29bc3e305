import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import QRCode from 'qrcode'

/**
 * A stand-in for the parts of WeChat's server API (api.weixin.qq.com) that Liren calls.
 * It answers like the real one: HTTP 200 with `errcode`/`errmsg` on failure.
 * Codes are what wx.login would hand the mini-program: one-time, valid five minutes.
 * The `/__dev/*` door lets the H5 client and tests obtain a code for a chosen identity;
 * this server only ever runs in development and tests.
 *
 * Also: `GET /cgi-bin/token` (the server's access token, two hours) and
 * `POST /wxa/getwxacodeunlimit` (a mini-program code for a page and a ≤ 32-character scene). The real
 * one draws WeChat's round "sun" code; this one draws a plain QR code of what the sun code stands for,
 * `page?scene=…`, as a PNG, so a scan in a test reads back exactly what WeChat would hand the page.
 * `POST /wxa/msg_sec_check` (version 2) judges text: anything containing one of `riskyWords` is
 * "risky", the rest "pass". `POST /cgi-bin/message/subscribe/send` accepts a subscribe message for an
 * openid and keeps it, so tests can see what was sent. `POST /wxa/business/getuserphonenumber` turns a
 * phone-number button code (one-time, five minutes, like a login code) into the number it was issued
 * for; `/__dev/phone-code` issues one for a chosen number.
 */
export interface WechatMockOptions {
  appid: string
  secret: string
  /** Words msg_sec_check calls risky (default: a few obvious ones). */
  riskyWords?: string[]
}

export interface SentMessage {
  touser: string
  template_id: string
  page?: string
  data: Record<string, { value: string }>
}

export interface WechatMock {
  /** Base URL once listening, e.g. http://127.0.0.1:41234 */
  url: string
  issueCode(openid: string): string
  /** A code as the phone-number button (getPhoneNumber) would hand the mini-program for `phone`. */
  issuePhoneCode(phone: string): string
  /** How many access tokens were handed out (a well-behaved client caches its token). */
  tokensIssued(): number
  /** Subscribe messages sent so far, oldest first. */
  sentMessages(): SentMessage[]
  close(): Promise<void>
}

const CODE_TTL_MS = 5 * 60 * 1000
const ACCESS_TOKEN_TTL_S = 7200
/** What WeChat allows in a scene: digits, letters and !#$&'()*+,/:;=?@-._~ — at most 32 of them. */
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/

interface IssuedCode {
  openid: string
  expiresAt: number
  used: boolean
}

interface IssuedPhoneCode {
  phone: string
  expiresAt: number
  used: boolean
}

/** A mainland mobile number, as the dev door accepts it. */
const PHONE = /^1\d{10}$/

export async function startWechatMock(opts: WechatMockOptions, port = 0, host = '127.0.0.1'): Promise<WechatMock> {
  const codes = new Map<string, IssuedCode>()
  const phoneCodes = new Map<string, IssuedPhoneCode>()
  const accessTokens = new Map<string, number>()
  const sent: SentMessage[] = []
  const riskyWords = opts.riskyWords ?? ['赌博', '代开发票', '枪支']

  const issueCode = (openid: string) => {
    const code = randomBytes(16).toString('hex')
    codes.set(code, { openid, expiresAt: Date.now() + CODE_TTL_MS, used: false })
    return code
  }

  const issuePhoneCode = (phone: string) => {
    const code = randomBytes(32).toString('hex')
    phoneCodes.set(code, { phone, expiresAt: Date.now() + CODE_TTL_MS, used: false })
    return code
  }

  const send = (res: ServerResponse, body: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    res.end(JSON.stringify(body))
  }

  const jscode2session = (q: URLSearchParams, res: ServerResponse) => {
    if (q.get('appid') !== opts.appid) return send(res, { errcode: 40013, errmsg: 'invalid appid' })
    if (q.get('secret') !== opts.secret) return send(res, { errcode: 40125, errmsg: 'invalid appsecret' })
    if (q.get('grant_type') !== 'authorization_code') return send(res, { errcode: 40002, errmsg: 'invalid grant_type' })
    const code = q.get('js_code') ?? ''
    const issued = codes.get(code)
    if (!issued || issued.expiresAt < Date.now()) return send(res, { errcode: 40029, errmsg: 'invalid code' })
    if (issued.used) return send(res, { errcode: 40163, errmsg: 'code been used' })
    issued.used = true
    return send(res, {
      openid: issued.openid,
      session_key: randomBytes(16).toString('base64'),
      unionid: `union-${issued.openid}`,
    })
  }

  const token = (q: URLSearchParams, res: ServerResponse) => {
    if (q.get('grant_type') !== 'client_credential') return send(res, { errcode: 40002, errmsg: 'invalid grant_type' })
    if (q.get('appid') !== opts.appid) return send(res, { errcode: 40013, errmsg: 'invalid appid' })
    if (q.get('secret') !== opts.secret) return send(res, { errcode: 40125, errmsg: 'invalid appsecret' })
    const accessToken = randomBytes(24).toString('base64url')
    accessTokens.set(accessToken, Date.now() + ACCESS_TOKEN_TTL_S * 1000)
    return send(res, { access_token: accessToken, expires_in: ACCESS_TOKEN_TTL_S })
  }

  /** The access token's error, if it is not a live one. */
  const tokenError = (q: URLSearchParams) => {
    const expires = accessTokens.get(q.get('access_token') ?? '')
    if (!expires) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }
    if (expires < Date.now()) return { errcode: 42001, errmsg: 'access_token expired' }
    return null
  }

  const msgSecCheck = (q: URLSearchParams, body: unknown, res: ServerResponse) => {
    const error = tokenError(q)
    if (error) return send(res, error)
    const { content, version, openid, scene } = (body ?? {}) as {
      content?: unknown
      version?: unknown
      openid?: unknown
      scene?: unknown
    }
    if (
      typeof content !== 'string' ||
      version !== 2 ||
      typeof openid !== 'string' ||
      ![1, 2, 3, 4].includes(scene as number)
    ) {
      return send(res, { errcode: 47001, errmsg: 'data format error' })
    }
    const hit = riskyWords.find((w) => content.includes(w))
    return send(res, {
      errcode: 0,
      errmsg: 'ok',
      result: hit ? { suggest: 'risky', label: 20006 } : { suggest: 'pass', label: 100 },
      detail: hit ? [{ strategy: 'keyword', errcode: 0, suggest: 'risky', label: 20006, keyword: hit }] : [],
    })
  }

  const subscribeSend = (q: URLSearchParams, body: unknown, res: ServerResponse) => {
    const error = tokenError(q)
    if (error) return send(res, error)
    const message = (body ?? {}) as Partial<SentMessage>
    if (
      typeof message.touser !== 'string' ||
      typeof message.template_id !== 'string' ||
      typeof message.data !== 'object' ||
      message.data === null
    ) {
      return send(res, { errcode: 47003, errmsg: 'argument invalid!' })
    }
    sent.push(message as SentMessage)
    return send(res, { errcode: 0, errmsg: 'ok' })
  }

  const getUserPhoneNumber = (q: URLSearchParams, body: unknown, res: ServerResponse) => {
    const error = tokenError(q)
    if (error) return send(res, error)
    const code = (body as { code?: unknown } | null)?.code
    const issued = typeof code === 'string' ? phoneCodes.get(code) : undefined
    // WeChat answers 40029 alike for a code that is unknown, expired or already used.
    if (!issued || issued.used || issued.expiresAt < Date.now())
      return send(res, { errcode: 40029, errmsg: 'invalid code' })
    issued.used = true
    return send(res, {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: issued.phone,
        purePhoneNumber: issued.phone,
        countryCode: '86',
        watermark: { timestamp: Math.floor(Date.now() / 1000), appid: opts.appid },
      },
    })
  }

  const wxacodeUnlimit = async (q: URLSearchParams, body: unknown, res: ServerResponse) => {
    const error = tokenError(q)
    if (error) return send(res, error)
    const { scene, page, width } = (body ?? {}) as { scene?: unknown; page?: unknown; width?: unknown }
    if (typeof scene !== 'string' || !SCENE.test(scene))
      return send(res, { errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' })
    if (page !== undefined && (typeof page !== 'string' || page.startsWith('/') || page === ''))
      return send(res, { errcode: 41030, errmsg: 'invalid page rule' })
    const side = typeof width === 'number' ? Math.min(Math.max(Math.round(width), 280), 1280) : 430
    const png = await QRCode.toBuffer(`${page ?? 'pages/index/index'}?scene=${encodeURIComponent(scene)}`, {
      type: 'png',
      width: side,
      margin: 2,
    })
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length })
    res.end(png)
  }

  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > 4096) throw new Error('body too large')
      chunks.push(chunk as Buffer)
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock')
    if (req.method === 'GET' && url.pathname === '/sns/jscode2session') return jscode2session(url.searchParams, res)
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') return token(url.searchParams, res)
    const posted = {
      '/wxa/getwxacodeunlimit': wxacodeUnlimit,
      '/wxa/msg_sec_check': msgSecCheck,
      '/cgi-bin/message/subscribe/send': subscribeSend,
      '/wxa/business/getuserphonenumber': getUserPhoneNumber,
    }[url.pathname]
    if (req.method === 'POST' && posted) {
      readJson(req).then(
        (body) => posted(url.searchParams, body, res),
        () => send(res, { errcode: 47001, errmsg: 'data format error' }),
      )
      return
    }
    if (req.method === 'POST' && url.pathname === '/__dev/code') {
      readJson(req).then(
        (body) => {
          const openid = (body as { openid?: unknown }).openid
          if (typeof openid !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(openid)) {
            return send(res, { errcode: 40003, errmsg: 'invalid openid' }, 400)
          }
          return send(res, { code: issueCode(openid) })
        },
        () => send(res, { errcode: 40003, errmsg: 'invalid body' }, 400),
      )
      return
    }
    if (req.method === 'POST' && url.pathname === '/__dev/phone-code') {
      readJson(req).then(
        (body) => {
          const phone = (body as { phone?: unknown }).phone
          if (typeof phone !== 'string' || !PHONE.test(phone))
            return send(res, { errcode: 40003, errmsg: 'invalid phone' }, 400)
          return send(res, { code: issuePhoneCode(phone) })
        },
        () => send(res, { errcode: 40003, errmsg: 'invalid body' }, 400),
      )
      return
    }
    return send(res, { errcode: 404, errmsg: 'not found' }, 404)
  })

  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://${host}:${address.port}`,
    issueCode,
    issuePhoneCode,
    tokensIssued: () => accessTokens.size,
    sentMessages: () => [...sent],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
