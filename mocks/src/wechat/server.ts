import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A stand-in for the parts of WeChat's server API (api.weixin.qq.com) that Liren calls.
 * It answers like the real one: HTTP 200 with `errcode`/`errmsg` on failure.
 * Codes are what wx.login would hand the mini-program: one-time, valid five minutes.
 * The `/__dev/*` door lets the H5 client and tests obtain a code for a chosen identity;
 * this server only ever runs in development and tests.
 */
export interface WechatMockOptions {
  appid: string
  secret: string
}

export interface WechatMock {
  /** Base URL once listening, e.g. http://127.0.0.1:41234 */
  url: string
  issueCode(openid: string): string
  close(): Promise<void>
}

const CODE_TTL_MS = 5 * 60 * 1000

interface IssuedCode {
  openid: string
  expiresAt: number
  used: boolean
}

export async function startWechatMock(opts: WechatMockOptions, port = 0, host = '127.0.0.1'): Promise<WechatMock> {
  const codes = new Map<string, IssuedCode>()

  const issueCode = (openid: string) => {
    const code = randomBytes(16).toString('hex')
    codes.set(code, { openid, expiresAt: Date.now() + CODE_TTL_MS, used: false })
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
    return send(res, { errcode: 404, errmsg: 'not found' }, 404)
  })

  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://${host}:${address.port}`,
    issueCode,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
