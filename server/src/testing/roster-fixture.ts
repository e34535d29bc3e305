import { ROSTER_COLUMNS } from '@liren/shared/rules'
import ExcelJS from 'exceljs'

/** Test fixture: a realistic roster, as rows of the template's columns. */
export type RosterRow = Partial<Record<(typeof ROSTER_COLUMNS)[number], string>>

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
const GIVEN = ['建国', '秀英', '志强', '桂兰', '海燕', '德福', '玉梅', '春生', '红霞', '永刚', '淑珍', '小龙']

/**
 * `households` households of 3 or 4 people (two in three have 3), heads born 1940–1979, one representative
 * per ten households (every third a woman), each representing its ten households; odd households in the
 * first of `grids`, even ones in the second.
 */
export function generateRoster(households: number, grids: [string, string], prefix = 'T'): RosterRow[] {
  const rows: RosterRow[] = []
  for (let h = 1; h <= households; h++) {
    const number = `${prefix}-${String(h).padStart(4, '0')}`
    const surname = SURNAMES[h % SURNAMES.length]!
    const grid = h % 2 ? grids[0] : grids[1]
    const address = `张家村新区 ${h} 号`
    const headYear = 1940 + (h % 40)
    const repOf =
      h % 10 === 1
        ? Array.from({ length: 10 }, (_, i) => `${prefix}-${String(h + i).padStart(4, '0')}`).filter(
            (_, i) => h + i <= households,
          )
        : null
    const womanRep = repOf !== null && Math.floor(h / 10) % 3 === 0
    const base = { 户号: number, 住址: address, 网格: grid, 状态: '在册', 党员: '否' }
    rows.push({
      ...base,
      姓名: `${surname}${GIVEN[h % 12]}${h}`,
      性别: '男',
      出生日期: `${headYear}-0${(h % 9) + 1}-1${h % 10}`,
      与户主关系: '户主',
      村民代表: repOf && !womanRep ? '是' : '否',
      代表户: repOf && !womanRep ? repOf.join('、') : '',
    })
    rows.push({
      ...base,
      姓名: `${SURNAMES[(h + 7) % SURNAMES.length]}${GIVEN[(h + 1) % 12]}${h}`,
      性别: '女',
      出生日期: `${headYear + 1}-1${h % 3}-0${(h % 8) + 1}`,
      与户主关系: '配偶',
      村民代表: womanRep ? '是' : '否',
      代表户: womanRep ? repOf!.join('、') : '',
    })
    rows.push({
      ...base,
      姓名: `${surname}${GIVEN[(h + 5) % 12]}${h}`,
      性别: h % 2 ? '女' : '男',
      出生日期: `${headYear + 28}-0${(h % 9) + 1}-2${h % 8}`,
      与户主关系: '子女',
      村民代表: '否',
      代表户: '',
    })
    if (h % 3 === 0)
      rows.push({
        ...base,
        姓名: `${surname}小${GIVEN[(h + 9) % 12]}${h}`,
        性别: '男',
        出生日期: `20${String(10 + (h % 10)).padStart(2, '0')}-05-0${(h % 9) + 1}`,
        与户主关系: '孙子女',
        村民代表: '否',
        代表户: '',
      })
  }
  return rows
}

export async function toXlsx(rows: RosterRow[], columns: readonly string[] = ROSTER_COLUMNS): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('花名册')
  sheet.addRow([...columns])
  for (const r of rows) sheet.addRow(columns.map((c) => (r as Record<string, string>)[c] ?? ''))
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

export function toCsv(rows: RosterRow[], columns: readonly string[] = ROSTER_COLUMNS): string {
  const esc = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  return [
    columns.join(','),
    ...rows.map((r) => columns.map((c) => esc((r as Record<string, string>)[c] ?? '')).join(',')),
  ].join('\n')
}
