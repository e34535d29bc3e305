import { fileURLToPath } from 'node:url'
import dayjs from 'dayjs'
import PDFDocument from 'pdfkit'
import { dateWords } from '@liren/shared/rules'

/**
 * What every printed notice for the village board shares: an A4 page with margins, the embedded
 * Chinese font (WenQuanYi Micro Hei, so it prints on any computer), the closing block with the notice
 * period and the publisher, and page numbers.
 */
const FONT = fileURLToPath(new URL('../../assets/fonts/wqy-microhei.ttc', import.meta.url))
export const FONT_NAME = 'WenQuanYiMicroHei'
export const MM = 72 / 25.4
export const MARGIN = 18 * MM
export const BODY = 10.5
export const LINE_GAP = 2

export interface A4 {
  doc: PDFKit.PDFDocument
  left: number
  width: number
  /** The lowest y a line may start at, leaving room for the page number. */
  bottom: () => number
  /** Numbers the pages and ends the document: the PDF's bytes. */
  finish: () => Promise<Buffer>
}

export function a4(title: string, author: string): A4 {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: title, Author: author } })
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
  return {
    doc,
    left,
    width,
    bottom: () => doc.page.height - MARGIN - 12,
    finish() {
      const range = doc.bufferedPageRange()
      for (let i = 0; i < range.count; i++) {
        doc.switchToPage(range.start + i)
        // Written into the bottom margin, which pdfkit would otherwise answer with a new page.
        doc.page.margins.bottom = 0
        doc.fontSize(9).text(`第 ${i + 1} 页，共 ${range.count} 页`, left, doc.page.height - MARGIN, {
          width,
          align: 'center',
          lineBreak: false,
        })
      }
      doc.end()
      return done
    },
  }
}

/**
 * The end of a notice: how long it is up (both ends count: put up on the 22nd for seven days, it comes
 * down after the 28th), where to object, the publisher and the date. On a new page if it would not fit.
 */
export function closingBlock(page: A4, issuedOn: string, days: number, publisher: string): void {
  const { doc, left, width } = page
  const until = dayjs(issuedOn).add(days - 1, 'day')
  const lines = [
    `公示时间：${dateWords(issuedOn)}至${dateWords(until.format('YYYY-MM-DD'))}，共 ${days} 天。`,
    `如对公示内容有异议，请在公示期内向${publisher}反映，我们会核实并答复。`,
  ]
  const height = lines.reduce((h, line) => h + doc.heightOfString(line, { width, lineGap: LINE_GAP }), 0) + 70
  if (doc.y + height > page.bottom()) doc.addPage().font(FONT_NAME).fontSize(BODY)
  doc.moveDown(1)
  for (const line of lines) doc.text(line, left, doc.y, { width, lineGap: LINE_GAP })
  doc.moveDown(2)
  doc.text(publisher, left, doc.y, { width, align: 'right' })
  doc.text(dateWords(issuedOn), left, doc.y + 4, { width, align: 'right' })
}
