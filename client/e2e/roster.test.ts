/**
 * The village roster (花名册) in a real browser against the real server: the committee imports people
 * from a spreadsheet (a dry run first, a bad row fixed, then the import), a newcomer who is one of them
 * applies, the committee finds them on the roster and verifies them, the newcomer sees 已认证.
 * Then the town admin sets up a village, its grids and grid workers; a grid worker reads the roster.
 * How the server, database and browser are set up: support.ts.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ROSTER_COLUMNS, type RosterColumn } from '@liren/shared/rules'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  chineseName,
  current,
  downloadByClass,
  fillJoinForm,
  pickDateTime,
  tapButton,
  toastGone,
  verifyNotOnRoster,
} from './steps'
import {
  baseUrl,
  closePhones,
  largeTextOn,
  newPhone,
  openRoute,
  phoneSignedInAs,
  screenshots,
  signInNew,
  useStack,
} from './support'

let workDir = ''
const snap = screenshots('roster-')

useStack()
beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'liren-roster-'))
})
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

/** A roster row by the import template's columns (the contract's, in @liren/shared). */
type Row = Partial<Record<RosterColumn, string>>

/** Four new households, ten people, different on every run (household numbers and names), and one change. */
function newPeople(): { rows: Row[]; update: Row; applicant: Row } {
  const tag = randomBytes(2).toString('hex').toUpperCase()
  const given = '建国志强德明福来永安海涛秀英桂兰春梅玉珍凤霞淑芬丽华金花'
  const name = (surname: string) => chineseName(surname, given)
  const household = (n: number, grid: string) => ({
    户号: `ZJ-T${tag}-${n}`,
    住址: `张家村五组 ${n} 号（${tag}）`,
    网格: grid,
  })
  const h1 = household(1, '一组网格')
  const h2 = household(2, '一组网格')
  const h3 = household(3, '二组网格')
  const h4 = household(4, '二组网格')
  const applicant: Row = {
    ...h3,
    姓名: name('郑'),
    性别: '男',
    出生日期: '1979-06-15',
    与户主关系: '户主',
    联系电话: '13800001234',
  }
  const rows: Row[] = [
    { ...h1, 姓名: name('周'), 性别: '男', 出生日期: '1961-03-08', 与户主关系: '户主', 党员: '是' },
    { ...h1, 姓名: name('吴'), 性别: '女', 出生日期: '1963-11-20', 与户主关系: '配偶' },
    { ...h1, 姓名: name('周'), 性别: '男', 出生日期: '1988-07-01', 与户主关系: '子女', 联系电话: '13900002222' },
    { ...h1, 姓名: name('周'), 性别: '女', 出生日期: '2015-09-12', 与户主关系: '孙子女' },
    { ...h2, 姓名: name('冯'), 性别: '男', 出生日期: '1952-01-30', 与户主关系: '户主' },
    {
      ...h2,
      姓名: name('陈'),
      性别: '女',
      出生日期: '1955-05-05',
      与户主关系: '配偶',
      村民代表: '是',
      代表户: `${h1.户号}、${h2.户号}`,
    },
    applicant,
    { ...h3, 姓名: name('郑'), 性别: '女', 出生日期: '2008-02-29', 与户主关系: '子女' },
    { ...h4, 姓名: name('韩'), 性别: '女', 出生日期: '1990-10-10', 与户主关系: '户主' },
    { ...h4, 姓名: name('杨'), 性别: '男', 出生日期: '2019-04-04', 与户主关系: '子女' },
  ]
  // 李梅 of the demo roster has moved within the village and got a phone.
  const update: Row = {
    户号: 'ZJ-002',
    住址: `张家村一组 18 号（${tag}）`,
    网格: '一组网格',
    姓名: '李梅',
    性别: '女',
    出生日期: '1982-06-18',
    与户主关系: '户主',
    联系电话: `137${String(randomBytes(4).readUInt32BE()).padStart(8, '0').slice(0, 8)}`,
  }
  return { rows, update, applicant }
}

async function writeWorkbook(file: string, rows: Row[]): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('花名册')
  sheet.addRow(ROSTER_COLUMNS)
  for (const row of rows) sheet.addRow(ROSTER_COLUMNS.map((column) => row[column] ?? ''))
  const target = path.join(workDir, file)
  await workbook.xlsx.writeFile(target)
  return target
}

async function headerOf(file: string): Promise<string[]> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(file)
  const header = workbook.worksheets[0]!.getRow(1).values as unknown[]
  return header.slice(1).map((cell) => String(cell ?? ''))
}

/** The counts card's figures by label, e.g. { 户数: 36, 人数: 90, … }. */
async function figures(page: Page): Promise<Record<string, number>> {
  const card = current(page).locator('.roster__figures')
  await card.waitFor()
  const values = await card
    .locator('.roster__figure')
    .evaluateAll((nodes) =>
      nodes.map((node) => [
        node.querySelector('.roster__figure-label')?.textContent?.trim() ?? '',
        Number(node.querySelector('.roster__figure-value')?.textContent ?? NaN),
      ]),
    )
  return Object.fromEntries(values)
}

async function isDisabled(page: Page, selector: string): Promise<boolean> {
  const className = (await current(page).locator(selector).getAttribute('class')) ?? ''
  return className.includes('disabled')
}

/** The roster, from the home page's button. */
async function openRoster(page: Page): Promise<void> {
  await toastGone(page)
  await current(page).locator('taro-button-core.home__roster').tap()
}

/** The person page says its roster person is linked to a member's account. */
async function accountLinked(page: Page): Promise<void> {
  await current(page).locator('.person__account').getByText('已关联', { exact: false }).waitFor()
}

describe('the village roster', () => {
  test('the committee imports people; a newcomer who is one of them is found on the roster and verified', async () => {
    const { rows, update, applicant } = newPeople()
    const bad: Row = { ...rows[8]!, 姓名: chineseName('杨'), 性别: '男', 出生日期: '1990-02-30', 与户主关系: '配偶' }

    // --- the committee opens the roster ---
    const committee = await phoneSignedInAs(/^\s*张家村 · 村委会/)
    const c = committee.page
    await current(c).locator('.home__roster').waitFor()
    await snap(c, 'committee-home')

    await openRoster(c)
    const before = await figures(c)
    await current(c).locator('.person-row').first().waitFor()
    await snap(c, 'roster-list')

    // --- a dry run that finds a bad row ---
    await tapButton(c, '导入花名册', current(c))
    const fileInput = current(c).locator('input.file-picker__input')
    await fileInput.waitFor({ state: 'attached' })
    await snap(c, 'import-start')

    // The blank template comes with the bearer token and has the contract's columns.
    const template = await downloadByClass(c, 'import__download')
    expect(template.suggestedFilename()).toBe('花名册模板.xlsx')
    expect(await headerOf(await template.path())).toEqual(ROSTER_COLUMNS)

    await fileInput.setInputFiles(await writeWorkbook('花名册-有错.xlsx', [...rows.slice(0, 9), bad, rows[9]!, update]))
    const errors = current(c).locator('.import__group--error')
    await errors.waitFor()
    await expect(errors.innerText()).resolves.toContain('1990-02-30')
    await expect(current(c).locator('.import__figure--create').innerText()).resolves.toContain('10 人')
    await expect(current(c).locator('.import__figure--error').innerText()).resolves.toContain('1 行')
    expect(await isDisabled(c, 'taro-button-core.import__commit')).toBe(true)
    await snap(c, 'import-dry-run-with-error')

    // --- the committee removes the bad row and checks again ---
    await fileInput.setInputFiles(await writeWorkbook('花名册-已改.xlsx', [...rows, update]))
    await errors.waitFor({ state: 'detached' })
    await current(c).locator('.import__group--create').waitFor()
    await expect(current(c).locator('.import__figure--error').innerText()).resolves.toContain('0 行')
    const updates = await current(c).locator('.import__group--update').innerText()
    expect(updates).toContain('李梅')
    expect(updates).toMatch(new RegExp(`住址：.+ → ${update.住址!.replace(/[()（）]/g, '.')}`))
    expect(await isDisabled(c, 'taro-button-core.import__commit')).toBe(false)
    await snap(c, 'import-dry-run-clean')

    await tapButton(c, '确认导入', current(c))
    await current(c).getByText('导入成功').waitFor()
    await expect(current(c).locator('.import__done').innerText()).resolves.toContain(
      '新增 10 人、4 户，修改 1 人、1 户',
    )
    await snap(c, 'import-done')

    // --- the roster counts them and finds them ---
    await tapButton(c, '查看花名册', current(c))
    await expect.poll(async () => (await figures(c))['人数'], { timeout: 10_000 }).toBe(before['人数']! + 10)
    const after = await figures(c)
    expect(after['户数']).toBe(before['户数']! + 4)
    await current(c).locator('.roster__search-input input').fill(applicant.姓名!)
    await tapButton(c, '搜索', current(c))
    const found = current(c).locator('.person-row', { hasText: applicant.姓名! })
    await found.waitFor()
    await snap(c, 'roster-search')

    // The export is the roster as a spreadsheet, with the imported people in it.
    const download = await downloadByClass(c, 'roster__export')
    expect(download.suggestedFilename()).toBe('花名册-张家村.xlsx')
    const exported = path.join(workDir, 'export.xlsx')
    await download.saveAs(exported)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(exported)
    const names: string[] = []
    workbook.worksheets[0]!.eachRow((row) =>
      names.push(String(row.getCell(ROSTER_COLUMNS.indexOf('姓名') + 1).value ?? '')),
    )
    expect(names).toEqual(expect.arrayContaining(rows.map((r) => r.姓名!)))

    await toastGone(c)
    await found.tap()
    await current(c).locator('.person__facts').waitFor()
    await snap(c, 'person')

    // --- the newcomer applies ---
    const resident = await newPhone()
    const r = resident.page
    await signInNew(r, baseUrl)
    await fillJoinForm(r, '张家村', {
      name: applicant.姓名!,
      address: applicant.住址!,
      year: applicant.出生日期!.slice(0, 4),
    })
    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('申请已提交').waitFor()

    // --- the committee finds them on the roster and verifies them ---
    await openRoute(c, baseUrl, '/pages/index/index')
    await tapButton(c, /审核入(村|社区)申请/, current(c))
    const card = current(c).locator('.applications__item', { hasText: applicant.姓名! })
    await card.waitFor()
    const match = card.locator('.applications__match', { hasText: applicant.户号! }).first()
    await match.waitFor()
    await expect(match.innerText()).resolves.toContain('姓名相同')
    await snap(c, 'applications-suggested')

    // 通过 asks first which roster person it is.
    await toastGone(c)
    await card.locator('taro-button-core.applications__verify').tap()
    await card.locator('.applications__unpicked').waitFor()
    await snap(c, 'applications-pick-first')
    await match.tap()
    await match.getByText('已选').waitFor()
    await snap(c, 'applications-picked')
    await card.locator('taro-button-core.applications__verify').tap()
    const dialog = current(c).locator('.nut-dialog')
    await dialog.getByText('是同一个人吗', { exact: false }).waitFor()
    await snap(c, 'applications-confirm')
    await tapButton(c, '确定通过', dialog)
    await card.waitFor({ state: 'detached' })
    await toastGone(c)
    await snap(c, 'applications-after-verify')

    // --- the newcomer is verified; the roster shows their account ---
    await openRoute(r, baseUrl, '/pages/mine/index')
    await current(r).locator('.mine__membership', { hasText: '张家村' }).getByText('已认证').waitFor()
    await snap(r, 'newcomer-verified')

    await openRoute(c, baseUrl, '/pages/index/index')
    await openRoster(c)
    await current(c).locator('.roster__search-input input').fill(applicant.姓名!)
    await tapButton(c, '搜索', current(c))
    await toastGone(c)
    await current(c).locator('.person-row', { hasText: applicant.姓名! }).tap()
    await accountLinked(c)
    await snap(c, 'person-linked')

    await closePhones(resident, committee)
  })

  test('the committee corrects a person and a household', async () => {
    const committee = await phoneSignedInAs(/^\s*张家村 · 村委会/)
    const c = committee.page
    await openRoster(c)
    await current(c).locator('.person-row').first().waitFor()
    await toastGone(c)
    await current(c).locator('.person-row').first().tap()
    await tapButton(c, '修改信息', current(c))
    // The birth date on the wheels, years first: a 30 February is not among the days offered.
    await pickDateTime(c, 'person__birth', '1968-04-12')
    await expect(current(c).locator('.person__birth').innerText()).resolves.toContain('1968年4月12日')
    await current(c).locator('.person__input--phone input').fill('12345')
    await tapButton(c, '保存', current(c))
    await current(c).getByText('请写 11 位手机号', { exact: false }).waitFor()
    await snap(c, 'person-edit-errors')
    await current(c).locator('.person__input--phone input').fill('13912345678')
    await tapButton(c, '保存', current(c))
    await current(c).locator('.person__facts').getByText('13912345678').waitFor()
    await current(c).locator('.person__facts').getByText('1968年4月12日', { exact: false }).waitFor()
    await toastGone(c)
    await snap(c, 'person-saved')

    await toastGone(c)
    await current(c).locator('taro-button-core.person__household').tap()
    await current(c).locator('.household__facts').waitFor()
    await tapButton(c, '修改住址、网格或户主', current(c))
    const address = current(c).locator('.household__input--address input')
    await address.fill('张家村一组 3 号（东头）')
    await snap(c, 'household-edit')
    await tapButton(c, '保存', current(c))
    await current(c).locator('.household__facts').getByText('张家村一组 3 号（东头）').waitFor()
    await toastGone(c)
    await snap(c, 'household-saved')
    await committee.context.close()
  })

  test('a member verified without a roster person is linked to one later', async () => {
    const name = chineseName('钱')
    const resident = await newPhone()
    const r = resident.page
    await signInNew(r, baseUrl)
    await fillJoinForm(r, '张家村', { name, address: '张家村三组 7 号', year: '1966' })
    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('申请已提交').waitFor()

    const committee = await phoneSignedInAs(/^\s*张家村 · 村委会/)
    const c = committee.page
    await tapButton(c, /审核入(村|社区)申请/, current(c))
    const card = current(c).locator('.applications__item', { hasText: name })
    await card.waitFor()
    await verifyNotOnRoster(c, card)

    // Later the committee finds them on the roster (here anyone not yet linked stands in for them).
    await openRoute(c, baseUrl, '/pages/index/index')
    await openRoster(c)
    const unlinked = current(c)
      .locator('.person-row', { hasNot: c.locator('.person-badge--app') })
      .first()
    await unlinked.waitFor()
    await toastGone(c)
    await unlinked.tap()
    await tapButton(c, '关联已认证的账号', current(c))
    const member = current(c).locator('.person__member', { hasText: name })
    await member.waitFor()
    await snap(c, 'person-link-choose')
    await toastGone(c)
    await member.tap()
    const dialog = current(c).locator('.nut-dialog')
    await dialog.getByText(name, { exact: false }).waitFor()
    await tapButton(c, '确定', dialog)
    await accountLinked(c)
    await toastGone(c)
    await snap(c, 'person-link-done')
    await closePhones(resident, committee)
  })

  test('a grid worker reads the roster but cannot change it', async () => {
    const worker = await phoneSignedInAs(/^\s*张家村 · 网格员/)
    const w = worker.page
    await current(w).locator('.home__roster').waitFor()
    await snap(w, 'grid-worker-home')
    await openRoster(w)
    await current(w).locator('.person-row').first().waitFor()
    expect(await current(w).locator('.roster__import').count()).toBe(0)
    expect(await current(w).locator('.roster__export').count()).toBe(0)
    await snap(w, 'grid-worker-roster')

    // Filters fold away; one grid at a time.
    const total = async () => (await current(w).locator('.roster__people .lr-card__title').innerText()).trim()
    const everyone = await total()
    await toastGone(w)
    await current(w).locator('.roster__filter-toggle').tap()
    await current(w).locator('.roster__filter-panel .lr-chip', { hasText: '一组网格' }).tap()
    await expect.poll(total).not.toBe(everyone)
    await current(w).locator('.roster__filter-text', { hasText: '一组网格' }).waitFor()
    await snap(w, 'grid-worker-roster-one-grid')

    await tapButton(w, '按户查看', current(w))
    await current(w).locator('.households__item').first().waitFor()
    await snap(w, 'grid-worker-households')
    await toastGone(w)
    await current(w).locator('.households__item').first().tap()
    await current(w).locator('.household__facts').waitFor()
    expect(await current(w).locator('.household__edit').count()).toBe(0)
    await w.goBack()
    await w.goBack()
    await toastGone(w)
    await current(w).locator('.person-row').first().tap()
    await current(w).locator('.person__facts').waitFor()
    expect(await current(w).locator('.person__edit').count()).toBe(0)

    // 适老化: the roster in large-text mode.
    await largeTextOn(w)
    await openRoute(w, baseUrl, '/pages/index/index')
    await openRoster(w)
    await current(w).locator('.lr-page.lr-large .person-row').first().waitFor()
    await snap(w, 'grid-worker-roster-large-text')
    await worker.context.close()
  })

  test('a community committee sees what the law asks of its representatives', async () => {
    const committee = await phoneSignedInAs(/^\s*和平社区 · 居委会/)
    const c = committee.page
    await openRoster(c)
    const figure = (label: string) =>
      current(c).locator('.roster__figure', { hasText: label }).locator('.roster__figure-value')
    await expect.poll(async () => figure('居民代表').innerText()).toBe('1')

    // Its one representative steps down: two households then have none, which the law does not allow.
    const representative = current(c).locator('.person-row', { hasText: '居民代表' }).first()
    const name = (await representative.locator('.person-row__name').innerText()).trim()
    await toastGone(c)
    await representative.tap()
    const badge = current(c).locator('.person__title').getByText('居民代表')
    await badge.waitFor()
    await toastGone(c)
    await current(c).locator('.person__representative').tap()
    await badge.waitFor({ state: 'detached' })
    await toastGone(c)
    await snap(c, 'community-representative-off')
    await c.goBack()
    await current(c).locator('.roster__warning').first().waitFor()
    await snap(c, 'community-roster-warning')

    // And back again.
    await toastGone(c)
    await current(c).locator('.person-row', { hasText: name }).tap()
    await toastGone(c)
    await current(c).locator('.person__representative').tap()
    await badge.waitFor()
    await committee.context.close()
  })

  test('the town admin adds a village and a grid, and names grid workers', async () => {
    const tag = randomBytes(2).toString('hex')
    const villageName = `${chineseName('', '东西南北前后新老上下大小')}村`
    const admin = await phoneSignedInAs(/镇（街道）管理员/)
    const a = admin.page
    await current(a).locator('.home__town').waitFor()
    await snap(a, 'town-admin-home')

    await toastGone(a)
    await current(a).locator('taro-button-core.home__town').tap()
    await current(a).locator('.villages__item', { hasText: '张家村' }).waitFor()
    await snap(a, 'town-villages')

    // A new village: the form checks the code before sending.
    await tapButton(a, '新建村（社区）', current(a))
    await current(a).locator('.villages__input--name input').fill(villageName)
    await current(a).locator('.villages__input--code input').fill('Li Jia!')
    await tapButton(a, '建立', current(a))
    await current(a).getByText('代码只能用小写字母', { exact: false }).waitFor()
    await snap(a, 'town-new-village-error')
    await current(a).locator('.villages__input--code input').fill(`lijia-${tag}`)
    await tapButton(a, '建立', current(a))
    const created = current(a).locator('.villages__item', { hasText: `lijia-${tag}` })
    await created.waitFor()
    await toastGone(a)
    await created.tap()
    await current(a).locator('.village-setup__grids').waitFor()
    await current(a).locator('.village-setup__input--grid input').fill('一组网格')
    await tapButton(a, '添加', current(a))
    await current(a).locator('.village-setup__grid', { hasText: '一组网格' }).waitFor()
    await toastGone(a)
    await snap(a, 'town-new-village')

    // 张家村: a second grid worker for 二组网格.
    await openRoute(a, baseUrl, '/packages/town/villages/index')
    await toastGone(a)
    await current(a).locator('.villages__item', { hasText: '张家村' }).tap()
    const grid = current(a).locator('.village-setup__grid', { hasText: '二组网格' })
    await grid.waitFor()
    await snap(a, 'town-zhangjia')
    await toastGone(a)
    await grid.tap()
    const chooser = current(a).locator('.member-chooser__item', { hasText: '赵小明' })
    await chooser.waitFor()
    // Ticked already when this runs again against the same server (E2E_BASE_URL).
    if (!((await chooser.getAttribute('class')) ?? '').includes('lr-pick--chosen')) await chooser.tap()
    await current(a).locator('.member-chooser__item.lr-pick--chosen', { hasText: '赵小明' }).waitFor()
    await snap(a, 'town-grid-workers')
    await tapButton(a, '保存网格员', current(a))
    await current(a)
      .locator('.village-setup__grid', { hasText: '二组网格' })
      .getByText('赵小明', { exact: false })
      .waitFor()
    await toastGone(a)

    await tapButton(a, /选择村委会成员/, current(a))
    await current(a).locator('.member-chooser__item.lr-pick--chosen', { hasText: '王建国' }).waitFor()
    await snap(a, 'town-committee')
    await admin.context.close()
  })
})
