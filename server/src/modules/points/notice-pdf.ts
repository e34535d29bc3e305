import { fileURLToPath } from 'node:url'
import type { PointsNotice } from '@liren/shared/contracts'
import { hoursText } from '@liren/shared/rules'
import dayjs from 'dayjs'
import PDFDocument from 'pdfkit'

const FONT = fileURLToPath(new URL('../../../assets/fonts/wqy-microhei.ttc', import.meta.url))
const FONT_NAME = 'WenQuanYiMicroHei'

const MM = 72 / 25.4
const MARGIN = 18 * MM
const COLUMNS = [
  { title: '序号', width: 12 * MM, align: 'center' },
  { title: '户号', width: 24 * MM, align: 'center' },
  { title: '姓名', width: 24 * MM, align: 'center' },
  { title: '加分事项', width: 90 * MM, align: 'left' },
  { title: '本月加分', width: 24 * MM, align: 'center' },
] as const
const PAD = 2 * MM
const BODY = 10.5
const LINE_GAP = 2

/** "志愿服务（每小时）3 次 30 分；随手拍有效上报 2 次 4 分" */
const itemsText = (row: PointsNotice['rows'][number]) => row.items.map((i) => `${i.rule} ${i.times} 次 ${i.points} 分`).join('；')

/**
 * The notice as an A4 PDF for the village board: title, the month's totals, a ruled table of every
 * person given points (its header repeated on each page), the objection period and the publisher,
 * and page numbers. `issuedOn` (YYYY-MM-DD) is the day it is printed and put up.
 */
export function noticePdf(notice: PointsNotice, issuedOn: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: notice.title, Author: notice.publisher } })
  doc.registerFont(FONT_NAME, FONT, FONT_NAME)
  doc.font(FONT_NAME)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  const left = MARGIN
  const width = doc.page.width - 2 * MARGIN
  const bottom = () => doc.page.height - MARGIN - 12 // room for the page number

  doc.fontSize(20).text(notice.title, left, MARGIN, { width, align: 'center' })
  doc.moveDown(0.6)
  const t = notice.totals
  doc
    .fontSize(BODY)
    .text(
      `本月共有 ${t.people} 人获得积分，合计 ${t.points} 分；志愿服务 ${hoursText(t.serviceMinutes)} 小时；积分超市兑换 ${t.redeemedOrders} 件，用去 ${t.redeemedPoints} 分；扣分 ${t.penalties} 人次（扣分名单不公示，本人可在小程序“积分”里查看）。`,
      left,
      doc.y,
      { width, lineGap: LINE_GAP },
    )
  doc.moveDown(0.8)

  const rowHeight = (cells: string[]) =>
    Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: COLUMNS[i]!.width - 2 * PAD, lineGap: LINE_GAP }))) + 2 * PAD
  const drawRow = (cells: string[], header: boolean) => {
    const h = rowHeight(cells)
    const y = doc.y
    let x = left
    if (header) doc.rect(left, y, width, h).fill('#f0ebe3').fillColor('black')
    cells.forEach((cell, i) => {
      const col = COLUMNS[i]!
      doc.rect(x, y, col.width, h).lineWidth(0.6).stroke('#555555')
      doc.fillColor('black').text(cell, x + PAD, y + PAD, { width: col.width - 2 * PAD, align: col.align, lineGap: LINE_GAP })
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

  // Both ends count: put up on the 22nd for seven days, it comes down after the 28th.
  const until = dayjs(issuedOn).add(notice.objectionDays - 1, 'day')
  const closing = [
    `公示时间：${dayjs(issuedOn).format('YYYY年M月D日')}至${until.format('YYYY年M月D日')}，共 ${notice.objectionDays} 天。`,
    `如对公示内容有异议，请在公示期内向${notice.publisher}反映，我们会核实并答复。`,
  ]
  const closingHeight = closing.reduce((h, line) => h + doc.heightOfString(line, { width, lineGap: LINE_GAP }), 0) + 70
  if (doc.y + closingHeight > bottom()) doc.addPage().font(FONT_NAME).fontSize(BODY)
  doc.moveDown(1)
  for (const line of closing) doc.text(line, left, doc.y, { width, lineGap: LINE_GAP })
  doc.moveDown(2)
  doc.text(notice.publisher, left, doc.y, { width, align: 'right' })
  doc.text(dayjs(issuedOn).format('YYYY年M月D日'), left, doc.y + 4, { width, align: 'right' })

  const range = doc.bufferedPageRange()
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i)
    // Written into the bottom margin, which pdfkit would otherwise answer with a new page.
    doc.page.margins.bottom = 0
    doc.fontSize(9).text(`第 ${i + 1} 页，共 ${range.count} 页`, left, doc.page.height - MARGIN, { width, align: 'center', lineBreak: false })
  }
  doc.end()
  return done
}
