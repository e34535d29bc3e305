import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** The text of every page of a PDF, as a PDF reader extracts it, and the page size in points. */
export async function pdfText(data: Buffer): Promise<{ pages: string[]; size: number[]; images: number }> {
  const pdf = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, disableFontFace: true }).promise
  const pages: string[] = []
  let size: number[] = []
  let images = 0
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i)
    size = page.view.map(Math.round)
    pages.push((await page.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(''))
    const ops = await page.getOperatorList()
    images += ops.fnArray.filter((fn) => fn === OPS.paintImageXObject).length
  }
  return { pages, size, images }
}
