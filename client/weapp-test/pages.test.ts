import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectNoProblems, phone, signIn, startServer, stopServer, type Session } from './support'

let server = ''
let resident: Session

beforeAll(async () => {
  server = await startServer('liren_weapp')
  resident = await signIn(server, 'demo-zhangjia-resident')
})
afterAll(stopServer)

describe('smoke', () => {
  test('home as 张秀兰', async () => {
    const mp = await phone(server, { session: resident })
    await mp.waitForText('张家村')
    console.log(mp.text().slice(0, 300))
    expectNoProblems(mp)
    mp.close()
  })
})
