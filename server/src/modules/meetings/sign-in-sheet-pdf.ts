import type { Attendance, VillageKind } from '@liren/shared/contracts'
import { dateTimeWords, dateWords, meetingKindLabel, placeWords } from '@liren/shared/rules'
import type { Executor } from '../../core/db.js'
import { a4, type A4, BODY, FONT_NAME, LINE_GAP, MM } from '../../core/pdf.js'
import { todayInChina } from '../../core/time.js'
import { findVillage } from '../identity/index.js'
import { getAttendance } from './attendance.js'

/** The sheet's columns, left to right; the signature takes what the others leave. */
const COLUMNS = [
  { title: '序号', width: 12 * MM },
  { title: '户号', width: 24 * MM },
  { title: '姓名', width: 32 * MM },
  { title: '已到', width: 14 * MM },
  { title: '签名', width: 0 },
] as const
/** Tall enough to sign in by hand. */
const ROW = 9 * MM
const HEAD_ROW = 7.5 * MM
const WHO: Record<Attendance['kind'], string> = {
  villager_meeting: '十八周岁以上的村民',
  representative_meeting: '村民代表',
  deliberation: '名单上的全体人员',
}

/**
 * 签到表 (committee): the meeting's sign-in sheet on A4 for villagers without a phone — everyone called,
 * by household, with a √ for those already signed in (by scanning or by the committee) and an empty box to
 * sign in by hand; the table's head on every page, and page numbers.
 */
export async function signInSheet(
  db: Executor,
  villageId: number,
  meetingId: number,
): Promise<{ title: string; pdf: Buffer }> {
  const [attendance, village] = await Promise.all([getAttendance(db, villageId, meetingId), findVillage(db, villageId)])
  return { title: attendance.title, pdf: await signInSheetPdf(village, attendance, todayInChina()) }
}

export async function signInSheetPdf(
  village: { name: string; kind: VillageKind },
  a: Attendance,
  printedOn: string,
): Promise<Buffer> {
  const words = placeWords(village.kind)
  const heading = `${village.name}${meetingKindLabel(a.kind, village.kind)}签到表`
  const page = a4(heading, `${village.name}${words.committee}`)
  const { doc, left, width } = page
  const signWidth = width - COLUMNS.reduce((w, c) => w + c.width, 0)
  const widths = COLUMNS.map((c) => c.width || signWidth)
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(s, left, doc.y, { width, lineGap: LINE_GAP, ...opts })

  doc.fontSize(20).text(heading, left, doc.y, { width, align: 'center' })
  doc.moveDown(0.5).fontSize(BODY + 1)
  text(`会议：${a.title}`)
  text(`时间：${dateTimeWords(a.startsAt)}    地点：${a.place}`)
  text(`应到 ${a.onRoll} 人，打印时已到 ${a.present} 人。名单是发通知时花名册上的${WHO[a.kind]}，共 ${a.called} 人。`)
  doc.fontSize(BODY - 1).fillColor('#444444')
  text(
    `已经扫码签到或由${words.committee}登记的人，“已到”栏打了勾；其他人到会请在“签名”栏签字或按手印。打印日期：${dateWords(printedOn)}。`,
  )
  doc.fillColor('black')
  doc.moveDown(0.6)

  let y = doc.y
  y = tableHead(page, widths, y)
  a.people.forEach((p, i) => {
    if (y + ROW > page.bottom()) {
      doc.addPage().font(FONT_NAME)
      doc.fontSize(BODY - 1).text(`${heading}（续）：${a.title}`, left, doc.y, { width, lineBreak: false })
      y = tableHead(page, widths, doc.y + 4)
    }
    const cells = [String(i + 1), p.householdNumber, p.name, p.arrival ? '√' : '', p.resident ? '' : '已不在本村']
    row(page, widths, y, ROW, cells, false)
    y += ROW
  })
  if (a.people.length === 0) {
    doc.fontSize(BODY).text('名单上没有人。', left, y + 6, { width })
  }
  return page.finish()
}

/** The table's head row at `y`; answers where the first row starts. */
function tableHead(page: A4, widths: number[], y: number): number {
  row(
    page,
    widths,
    y,
    HEAD_ROW,
    COLUMNS.map((c) => c.title),
    true,
  )
  return y + HEAD_ROW
}

/** One row of boxes, each text centred in its box (shrunk to fit a long name). */
function row(page: A4, widths: number[], y: number, height: number, cells: string[], head: boolean): void {
  const { doc, left } = page
  let x = left
  cells.forEach((cell, i) => {
    const w = widths[i]!
    if (head) doc.rect(x, y, w, height).fillAndStroke('#eeeeee', 'black').fillColor('black')
    else doc.rect(x, y, w, height).lineWidth(0.6).stroke()
    if (cell) {
      // Say less than BODY only when it would not fit: a long household number or name.
      let size = head ? BODY : cell === '√' ? BODY + 4 : BODY + 1
      doc.fontSize(size)
      while (size > 7 && doc.widthOfString(cell) > w - 4) doc.fontSize((size -= 0.5))
      const grey = !head && i === cells.length - 1
      doc
        .fillColor(grey ? '#666666' : 'black')
        .text(cell, x + 2, y + (height - size) / 2 - 1, { width: w - 4, align: 'center', lineBreak: false })
        .fillColor('black')
    }
    x += w
  })
}
