import type { Meeting, VillageKind, VoteResult } from '@liren/shared/contracts'
import { OUTCOME_LABEL, dateTimeWords, meetingKindLabel, placeWords } from '@liren/shared/rules'
import QRCode from 'qrcode'
import { a4, BODY, closingBlock, FONT_NAME, LINE_GAP, MM } from '../../core/pdf.js'

/** Days a published result stays up for objections. */
export const RESULT_NOTICE_DAYS = 7
const NUMBERS = '一二三四五六七八九十'
const PASS_RULE_TEXT = { majority: '参加表决的人过半数同意', two_thirds: '参加表决的人三分之二以上同意' } as const

/**
 * The printable result notice (表决结果公示) of a meeting for the village board: what met where and
 * when, 应到/实到, each vote's counts, turnout, quorum and outcome, the notice period and the publisher,
 * and a QR code of `pageUrl`, the public results page, so anyone can check the figures without signing in.
 */
export async function resultNoticePdf(
  village: { name: string; kind: VillageKind },
  meeting: Meeting,
  results: VoteResult[],
  issuedOn: string,
  pageUrl: string,
  /** The signed tally sheets by photo key: each printed under its point's counts. */
  sheets: ReadonlyMap<string, Buffer> = new Map(),
): Promise<Buffer> {
  const kind = meetingKindLabel(meeting.kind, village.kind)
  const publisher = `${village.name}${placeWords(village.kind).committee}`
  const title = `${village.name}${kind}表决结果公示`
  const page = a4(title, publisher)
  const { doc, left, width } = page
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(s, left, doc.y, { width, lineGap: LINE_GAP, ...opts })

  doc.fontSize(20).text(title, left, doc.y, { width, align: 'center' })
  doc.moveDown(0.6).fontSize(BODY)
  text(
    `${dateTimeWords(meeting.startsAt)}，${publisher}在${meeting.place}召开${kind}“${meeting.title}”。应到 ${meeting.onRoll} 人，实到 ${meeting.present} 人。表决结果如下：`,
  )
  // Called with less notice than the rule: the reason is part of the record.
  if (meeting.urgentReason) text(`本次会议紧急召开，原因：${meeting.urgentReason}。`)
  results.forEach((r, i) => {
    doc.moveDown(0.8).fontSize(BODY + 1.5)
    text(`${NUMBERS[i] ?? i + 1}、${r.question}`)
    doc.fontSize(BODY).moveDown(0.3)
    text(
      `应参加表决 ${r.eligible} 人，实际参加 ${r.participants} 人（${r.quorumRule}：${r.quorumMet ? '已达到' : '未达到'}）。`,
    )
    text(`${r.counts.map((c) => `${c.label} ${c.count} 票`).join('，')}。通过标准：${PASS_RULE_TEXT[r.passRule]}。`)
    // 委托投票: how many, never whose.
    if (r.proxyBallots > 0) text(`其中委托投票 ${r.proxyBallots} 票（凭书面委托书，由受委托人代投）。`)
    // Each counting point's box, void ones with why, and its signed tally sheet under it.
    for (const p of r.countingPoints) {
      const label = (id: number) => r.counts.find((c) => c.optionId === id)?.label ?? ''
      const sheet = p.photo ? sheets.get(p.photo.key) : undefined
      text(
        `${
          p.void
            ? `${p.name}：${p.voidReason}`
            : `${p.name}：在这里签到能投票 ${p.eligible} 人${p.ballotsCast === null ? '' : `，票箱里 ${p.ballotsCast} 张票`}，${p.counts
                .map((c) => `${label(c.optionId)} ${c.count} 票`)
                .join('，')}`
        }${sheet ? '。计票单：' : '。'}`,
      )
      if (sheet) {
        const height = 45 * MM
        if (doc.y + height + 10 > page.bottom()) doc.addPage().font(FONT_NAME).fontSize(BODY)
        const y = doc.y + 4
        doc.image(sheet, left, y, { fit: [width / 2, height] })
        doc.y = y + height + 6
      }
    }
    doc.fontSize(BODY + 1.5)
    text(
      `表决结果：${OUTCOME_LABEL[r.outcome]}${
        r.outcome === 'passed' && r.counts.some((c) => c.kind === 'choice')
          ? `（${r.counts
              .filter((c) => r.adopted.includes(c.optionId))
              .map((c) => c.label)
              .join('、')}）`
          : ''
      }。`,
    )
    doc.fontSize(BODY)
  })
  if (results.length === 0) text('这次会议没有表决事项。')

  closingBlock(page, issuedOn, RESULT_NOTICE_DAYS, publisher)
  // Scanned, the QR code opens the same figures on the public results page.
  const qr = await QRCode.toBuffer(pageUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 })
  const size = 28 * MM
  if (doc.y + size + 20 > page.bottom()) doc.addPage().font(FONT_NAME).fontSize(BODY)
  const y = doc.y + 10
  doc.image(qr, left, y, { width: size })
  doc
    .fontSize(9)
    .text('扫码查看会议和表决详情，投票的人可以用回执码核对自己的票', left + size + 4 * MM, y + size / 2 - 10, {
      width: width - size - 4 * MM,
      lineGap: LINE_GAP,
    })
  return page.finish()
}
