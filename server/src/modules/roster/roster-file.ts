import { ErrorCode, type Person } from '@liren/shared/contracts'
import { GENDER_LABEL, PERSON_STATUS_LABEL, ROSTER_COLUMNS } from '@liren/shared/rules'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { AppError } from '../../core/errors.js'

export const MAX_ROWS = 5000

export interface SheetRow {
  /** Row number as the committee sees it in the spreadsheet (header = 1). */
  row: number
  cells: Record<string, string>
}
export interface Sheet {
  headers: string[]
  rows: SheetRow[]
}

const unsupported = () =>
  new AppError(415, ErrorCode.UNSUPPORTED_FILE, '只能导入 Excel（.xlsx）或 CSV 文件', [
    { field: 'file', message: '文件格式不对' },
  ])

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  // exceljs reads date cells as UTC midnight.
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('')
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue)
    if ('text' in value) return String(value.text)
    if ('error' in value) return ''
  }
  return String(value)
}

/** CSV from Excel in China is often GB18030 (GBK); UTF-8 with or without BOM is tried first. */
function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf)
  } catch {
    return new TextDecoder('gb18030').decode(buf)
  }
}

function toSheet(matrix: string[][]): Sheet {
  const [header = [], ...body] = matrix
  const headers = header.map((h) => h.trim())
  const rows: SheetRow[] = []
  body.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return
    rows.push({ row: i + 2, cells: Object.fromEntries(headers.map((h, j) => [h, (cells[j] ?? '').trim()])) })
  })
  return { headers, rows }
}

/** Reads the first worksheet of an XLSX file, or a CSV file; which one is told by the content, not the name. */
export async function readSheet(buf: Buffer): Promise<Sheet> {
  if (buf.length === 0) throw unsupported()
  const isZip = buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
  let matrix: string[][]
  if (isZip) {
    const workbook = new ExcelJS.Workbook()
    try {
      await workbook.xlsx.load(buf as unknown as ExcelJS.Buffer)
    } catch {
      throw unsupported()
    }
    const sheet = workbook.worksheets[0]
    if (!sheet) throw unsupported()
    matrix = []
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      const values = row.values as ExcelJS.CellValue[]
      matrix[n - 1] = values.slice(1).map(cellText)
    })
    for (let i = 0; i < matrix.length; i++) matrix[i] ??= []
  } else {
    if (buf.subarray(0, 4096).includes(0)) throw unsupported()
    try {
      matrix = parse(decodeText(buf), { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][]
    } catch {
      throw unsupported()
    }
  }
  if (matrix.length - 1 > MAX_ROWS) {
    throw new AppError(413, ErrorCode.FILE_TOO_LARGE, `一次最多导入 ${MAX_ROWS} 行`, [
      { field: 'file', message: `超过 ${MAX_ROWS} 行` },
    ])
  }
  return toSheet(matrix)
}

const yesNo = (b: boolean) => (b ? '是' : '否')

/** The roster as an XLSX file in the template's columns, so it can be edited and imported again. */
export async function writeRosterWorkbook(
  people: Person[],
  households: Map<number, { address: string; gridName: string | null }>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('花名册')
  sheet.columns = ROSTER_COLUMNS.map((header) => ({ header, key: header, width: header === '住址' ? 28 : 14 }))
  sheet.getRow(1).font = { bold: true }
  for (const p of people) {
    const h = households.get(p.householdId)
    sheet.addRow([
      p.householdNumber,
      h?.address ?? '',
      h?.gridName ?? '',
      p.name,
      GENDER_LABEL[p.gender],
      p.birthDate,
      p.relation,
      p.phone ?? '',
      PERSON_STATUS_LABEL[p.status],
      yesNo(p.representative),
      p.representedHouseholds.join('、'),
      yesNo(p.partyMember),
      p.id,
    ])
  }
  // Dates and numbers as text, so Excel does not reformat 户号 or 出生日期.
  for (const key of ['户号', '出生日期', '联系电话']) sheet.getColumn(key).numFmt = '@'
  const guide = workbook.addWorksheet('填写说明')
  guide.columns = [
    { header: '列', width: 14 },
    { header: '怎么填', width: 70 },
  ]
  for (const line of GUIDE) guide.addRow(line)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

const GUIDE: [string, string][] = [
  ['户号', '必填。每户一个编号，同一户的人填同一个户号'],
  ['住址', '必填。同一户的住址要一致'],
  ['网格', '可不填。要填时须是本村已有的网格名称'],
  ['姓名', '必填'],
  ['性别', '必填：男 或 女'],
  ['出生日期', '必填：例如 1958-03-21'],
  ['与户主关系', '必填：户主、配偶、子女、父母、孙子女等；每户一位户主'],
  ['联系电话', '可不填：手机号或座机'],
  ['状态', '可不填（默认在册）：在册、迁出、去世'],
  ['村民代表', '可不填（默认否）：是 或 否'],
  ['代表户', '村民代表所联系的户号，用顿号“、”隔开'],
  ['党员', '可不填（默认否）：是 或 否'],
  ['人员编号', '导出时自动生成，新增的人不用填；改姓名或生日时请保留'],
]
