import QRCode from 'qrcode'

/** A QR code of `text` as a PNG data URL (what an <image> shows in the mini-program and in H5). */
export const qrDataUrl = (text: string) => QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 320 })
