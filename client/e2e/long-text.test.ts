/**
 * Long words in the text boxes people write in (a report's description, a topic): the box grows or scrolls
 * inside itself; its words never run over the counter, the next field or the buttons below. The screenshot
 * checks it (layout.ts), in normal and in large-text mode like every other page.
 */
import { describe, test } from 'vitest'
import { api, current, fill } from './steps'
import { baseUrl, closePhones, openRoute, phoneSignedInAs, screenshots, useStack } from './support'

useStack()
const snap = screenshots('long-text-')

/** Many lines of a villager's own words, up to `length` characters. */
function longWords(length: number): string {
  const line = '村东头小桥边的路灯坏了好几天，晚上一片黑，老人孩子走路都怕摔。\n'
  return line.repeat(Math.ceil(length / line.length)).slice(0, length)
}

describe('long text', () => {
  test('a long report and a long topic stay inside their boxes', async () => {
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = resident.page
    const me = await api<{ memberships: { villageId: number; villageName: string }[] }>(r, '/api/me')
    const villageId = me.memberships.find((m) => m.villageName === '张家村')!.villageId

    await openRoute(r, baseUrl, `/packages/reports/new/index?villageId=${villageId}`)
    await current(r).locator('.report-new__description').waitFor()
    await fill(r, '.report-new__description', longWords(500))
    await snap(r, 'report-description')

    await openRoute(r, baseUrl, `/packages/meetings/topic-new/index?villageId=${villageId}`)
    await current(r).locator('.topic-new__description').waitFor()
    await fill(r, '.topic-new__description', longWords(1000))
    await snap(r, 'topic-description')

    await closePhones(resident)
  })
})
