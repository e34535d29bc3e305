import type { PointsNotice } from '@liren/shared/contracts'
import { hoursText } from '@liren/shared/rules'
import { a4, BODY, closingBlock, FONT_NAME, LINE_GAP, MARGIN, MM } from '../../../core/pdf.js'

const COLUMNS = [
  { title: '序号', width: 12 * MM, align: 'center' },
  { title: '户号', width: 24 * MM, align: 'center' },
  { title: '姓名', width: 24 * MM, align: 'center' },
  { title: '加分事项', width: 90 * MM, align: 'left' },
  { title: '本月加分', width: 24 * MM, align: 'center' },
] as const
const PAD = 2 * MM

/** "志愿服务（每小时）3 次 30 分；随手拍有效上报 2 次 4 分" */
const itemsText = (row: PointsNotice['rows'][number]) =>
  row.items.map((i) => `${i.rule} ${i.times} 次 ${i.points} 分`).join('；')

/**
 * The notice as an A4 PDF for the village board: title, the month's totals, a ruled table of every
 * person given points (its header repeated on each page), the objection period and the publisher,
 * and page numbers. `issuedOn` (YYYY-MM-DD) is the day it is printed and put up.
 */
export function noticePdf(notice: PointsNotice, issuedOn: string): Promise<Buffer> {
  const page = a4(notice.title, notice.publisher)
  const { doc, left, width, bottom } = page

  doc.fontSize(20).text(notice.title, left, MARGIN, { width, align: 'center' })
  doc.moveDown(0.6)
  const t = notice.totals
  doc
    .fontSize(BODY)
    .text(
      `本月共有 ${t.people} 人获得积分，合计 ${t.points} 分；志愿服务 ${hoursText(t.serviceMinutes)} 小时；积分超市兑换 ${t.redeemedOrders} 件，用去 ${t.redeemedPoints} 分；扣分 ${t.penalties} 人次（扣分名单不公示，本人可在小程序“积分”里查看）${t.anonymousAwards ? `；匿名随手拍奖励 ${t.anonymousAwards} 次，共 ${t.anonymousPoints} 分（匿名上报的人不公示）` : ''}。`,
      left,
      doc.y,
      { width, lineGap: LINE_GAP },
    )
  doc.moveDown(0.8)

  const rowHeight = (cells: string[]) =>
    Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: COLUMNS[i]!.width - 2 * PAD, lineGap: LINE_GAP }))) +
    2 * PAD
  const drawRow = (cells: string[], header: boolean) => {
    const h = rowHeight(cells)
    const y = doc.y
    let x = left
    if (header) doc.rect(left, y, width, h).fill('#f0ebe3').fillColor('black')
    cells.forEach((cell, i) => {
      const col = COLUMNS[i]!
      doc.rect(x, y, col.width, h).lineWidth(0.6).stroke('#555555')
      doc
        .fillColor('black')
        .text(cell, x + PAD, y + PAD, { width: col.width - 2 * PAD, align: col.align, lineGap: LINE_GAP })
      x += col.width
    })
    doc.x = left
    doc.y = y + h
  }
  const header = COLUMNS.map((c) => c.title)

  doc.fontSize(BODY)
  drawRow(header, true)
  if (notice.rows.length === 0) {
    doc.moveDown(0.5).text('本月没有人获得积分。', left, doc.y, { width, align: 'center' })
  }
  notice.rows.forEach((row, i) => {
    const cells = [String(i + 1), row.householdNumber, row.name, itemsText(row), String(row.points)]
    if (doc.y + rowHeight(cells) > bottom()) {
      doc.addPage()
      doc.font(FONT_NAME).fontSize(BODY)
      drawRow(header, true)
    }
    drawRow(cells, false)
  })

  closingBlock(page, issuedOn, notice.objectionDays, notice.publisher)
  return page.finish()
}
