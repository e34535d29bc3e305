import { startWechatMock, type WechatMock } from '@liren/mocks/wechat'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { qrTextOf } from '../testing/harness.js'
import { WechatClient } from './wechat.js'

const appid = 'wx-test-app'
const secret = 'wx-test-secret'
let mock: WechatMock

beforeAll(async () => {
  mock = await startWechatMock({ appid, secret })
})
afterAll(() => mock.close())

describe('mini-program codes through WeChat (getwxacodeunlimit)', () => {
  it('makes a code that opens the page with the scene, fetching the access token once for many codes', async () => {
    const client = new WechatClient({ appid, secret, apiBase: mock.url })
    const before = mock.tokensIssued()
    const first = await client.miniProgramCode('12.AbCdEfGhIjKlMnOp', 'packages/points/activity/index')
    const second = await client.miniProgramCode('13.AbCdEfGhIjKlMnOp', 'packages/points/activity/index')
    expect(qrTextOf(first!)).toBe('packages/points/activity/index?scene=12.AbCdEfGhIjKlMnOp')
    expect(qrTextOf(second!)).toBe('packages/points/activity/index?scene=13.AbCdEfGhIjKlMnOp')
    expect(mock.tokensIssued() - before).toBe(1)
  })

  it('gives null, not an error, when WeChat refuses or cannot be reached', async () => {
    const client = new WechatClient({ appid, secret, apiBase: mock.url })
    expect(await client.miniProgramCode('x'.repeat(33), 'packages/points/activity/index')).toBeNull()
    expect(
      await new WechatClient({ appid, secret: 'wrong', apiBase: mock.url }).miniProgramCode('1.a', 'pages/index/index'),
    ).toBeNull()
    const gone = await startWechatMock({ appid, secret })
    const url = gone.url
    await gone.close()
    expect(
      await new WechatClient({ appid, secret, apiBase: url }).miniProgramCode('1.a', 'pages/index/index'),
    ).toBeNull()
  })
})

describe('phone numbers through WeChat (getuserphonenumber)', () => {
  it('turns a button code into the number once, reusing the access token; a used code is refused on the field', async () => {
    const client = new WechatClient({ appid, secret, apiBase: mock.url })
    const before = mock.tokensIssued()
    const code = mock.issuePhoneCode('13800138000')
    expect(await client.phoneNumber(code)).toBe('13800138000')
    expect(await client.phoneNumber(mock.issuePhoneCode('13900139000'))).toBe('13900139000')
    expect(mock.tokensIssued() - before).toBe(1)
    await expect(client.phoneNumber(code)).rejects.toMatchObject({
      status: 400,
      code: 'WECHAT_CODE_INVALID',
      details: [{ field: 'phoneCode' }],
    })
  })

  it('answers 503 when WeChat cannot be asked', async () => {
    const wrong = new WechatClient({ appid, secret: 'wrong', apiBase: mock.url })
    await expect(wrong.phoneNumber(mock.issuePhoneCode('13800138000'))).rejects.toMatchObject({
      status: 503,
      code: 'WECHAT_UNAVAILABLE',
    })
  })
})
