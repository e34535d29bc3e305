/**
 * What every page a browser test looks at must be, for a person on a phone: every tappable thing at least
 * 44 px tall, nothing covering a tappable thing, no text outside its box, and no internal code or English
 * word in what a person reads. Checked in the page (layoutProblems runs in the browser), on what is shown:
 * the visible page, the tab bar and any open dialog.
 */
import type { Page } from 'playwright-core'

/** Latin words a villager does read in Liren: file kinds and the like, as the pages name them. */
export const LATIN_WORDS = ['PDF', 'XLSX', 'Excel', 'JSON', 'WPS', 'QR', 'KB', 'MB', 'GeoReport']

/** The problems on the page as it is shown now: empty when it is as it should be. */
export async function layoutProblems(page: Page, ownWords: string[] = []): Promise<string[]> {
  return page.evaluate(
    (allowed) => {
      const problems: string[] = []
      const TAPPABLE = [
        'taro-button-core',
        '.nut-button',
        '.nut-cell-clickable',
        '.nut-switch',
        '.nut-checkbox',
        '.nut-radio',
        '.nut-input',
        '.nut-textarea',
        '.weui-tabbar__item',
        'a[href]',
      ].join(',')

      const shown = (el: Element) => {
        const style = getComputedStyle(el)
        if (style.visibility === 'hidden' || Number(style.opacity) === 0) return false
        const box = el.getBoundingClientRect()
        return box.width > 0 && box.height > 0
      }
      // What a person sees: the page in front (Taro keeps the pages behind it hidden), the tab bar, overlays.
      const pages = [...document.querySelectorAll('.taro_page')].filter(shown)
      const front = pages[pages.length - 1]
      // An open dialog or popup is all a person can touch; the page behind its overlay waits.
      const dialogs = [...document.querySelectorAll('.nut-dialog-outer, .nut-popup')].filter(shown)
      const roots = (dialogs.length ? dialogs : [front, document.querySelector('.taro-tabbar__tabbar')]).filter(
        (el): el is Element => !!el && shown(el),
      )
      const inside = (el: Element) => roots.some((root) => root.contains(el))
      const label = (el: Element) => {
        const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 24)
        const cls =
          typeof el.className === 'string' ? el.className.split(/\s+/).filter(Boolean).slice(0, 2).join('.') : ''
        return `<${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}>${text ? ` “${text}”` : ''}`
      }

      // The outermost of nested tappable elements is what a finger meets (NutUI's button holds Taro's).
      const tappable = [...document.querySelectorAll(TAPPABLE)].filter(
        (el) => inside(el) && shown(el) && !el.parentElement?.closest(TAPPABLE),
      )
      for (const el of tappable) {
        const { height } = el.getBoundingClientRect()
        if (height < 43.5) problems.push(`${label(el)} is ${height.toFixed(1)} px tall, under 44 px`)
      }

      // Text, line by line (a range's rectangles are where the letters are, not the element's box).
      const texts: { node: Text; rects: DOMRect[] }[] = []
      for (const root of roots) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node as Text
          if (!text.data.trim() || !text.parentElement || !shown(text.parentElement)) continue
          const range = document.createRange()
          range.selectNodeContents(text)
          texts.push({ node: text, rects: [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0) })
        }
      }
      const overlap = (a: DOMRect, b: DOMRect) =>
        Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2

      // Nothing covers a tappable element: no other tappable element, no text that is not its own.
      for (const [i, a] of tappable.entries()) {
        const box = a.getBoundingClientRect()
        for (const b of tappable.slice(i + 1)) {
          if (!a.contains(b) && !b.contains(a) && overlap(box, b.getBoundingClientRect()))
            problems.push(`${label(a)} and ${label(b)} overlap`)
        }
        for (const { node, rects } of texts) {
          const owner = node.parentElement!
          if (a.contains(owner) || owner.contains(a)) continue
          if (rects.some((r) => overlap(r, box)))
            problems.push(`text “${node.data.trim().slice(0, 24)}” covers ${label(a)}`)
        }
      }

      // No text outside its box: past the element that holds it, or cut by a box that hides what overflows.
      for (const { node, rects } of texts) {
        const owner = node.parentElement!
        const clip = owner.closest(TAPPABLE) ?? owner
        const box = clip.getBoundingClientRect()
        const out = rects.find(
          (r) => r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 2 || r.bottom > box.bottom + 2,
        )
        if (out) problems.push(`text “${node.data.trim().slice(0, 24)}” runs outside ${label(clip)}`)
        // Nor cut off by a box that hides what overflows it (a bar of fixed height), or by the screen's edge;
        // a picker's wheel shows a few of its rows by design.
        if (owner.closest('.nut-pickerview')) continue
        for (let box = owner.parentElement; box; box = box.parentElement) {
          const { overflowX, overflowY } = getComputedStyle(box)
          if (![overflowX, overflowY].some((o) => o === 'hidden' || o === 'clip')) continue
          const edge = box.getBoundingClientRect()
          if (rects.some((r) => r.bottom > edge.bottom + 1 || r.right > edge.right + 1 || r.top < edge.top - 1))
            problems.push(`text “${node.data.trim().slice(0, 24)}” is cut off by ${label(box)}`)
          break
        }
        if (rects.some((r) => r.bottom > innerHeight + 1 || r.right > innerWidth + 1))
          problems.push(`text “${node.data.trim().slice(0, 24)}” runs off the screen`)
        if (getComputedStyle(owner).textOverflow === 'ellipsis' && owner.scrollWidth > owner.clientWidth + 1)
          problems.push(`text “${node.data.trim().slice(0, 24)}” is cut short in ${label(owner)}`)
      }

      // 适老化: in large-text mode (large-text.ts marks the document) every word a person reads is 18 px or more.
      if (document.documentElement.classList.contains('lr-large-text')) {
        for (const { node } of texts) {
          const size = parseFloat(getComputedStyle(node.parentElement!).fontSize)
          if (size < 17.5) problems.push(`text “${node.data.trim().slice(0, 24)}” is ${size} px in large-text mode`)
        }
      }

      // The words a person types are as big as the words they read (a browser draws a form control at its
      // own 13 px unless told): 16 px or more, 18 px or more in large-text mode.
      const least = document.documentElement.classList.contains('lr-large-text') ? 17.5 : 15.5
      for (const box of document.querySelectorAll('textarea, input:not([type=hidden]):not([type=file])')) {
        if (!inside(box) || !shown(box)) continue
        const size = parseFloat(getComputedStyle(box).fontSize)
        if (size < least) problems.push(`words typed in ${label(box.parentElement ?? box)} are ${size} px`)
      }

      // A label wraps whole: its last line is not one lone character (会议与表 / 决) under the rest.
      const LABELS = '.nut-button, taro-button-core, .weui-tabbar__item, .lr-card__title, .lr-heading'
      const labels = new Map<Element, DOMRect[]>()
      for (const { node, rects } of texts) {
        const holder = node.parentElement!.closest(LABELS)
        if (holder) labels.set(holder, [...(labels.get(holder) ?? []), ...rects])
      }
      for (const [holder, rects] of labels) {
        const lines = [...new Set(rects.map((r) => Math.round(r.bottom)))].sort((a, b) => a - b)
        const last = rects.filter((r) => Math.round(r.bottom) === lines[lines.length - 1])
        const width = last.reduce((sum, r) => sum + r.width, 0)
        if (lines.length > 1 && width < 1.6 * parseFloat(getComputedStyle(holder).fontSize))
          problems.push(`${label(holder)} leaves one character alone on its last line`)
      }

      // A text box's words stay in its box: the box grows or scrolls; it never runs over the counter under it
      // or out of the field, and never hides lines it cannot scroll to.
      for (const area of document.querySelectorAll('textarea')) {
        if (!inside(area) || !shown(area)) continue
        const box = area.getBoundingClientRect()
        const field = area.closest('.nut-textarea') ?? area.parentElement!
        const outer = field.getBoundingClientRect()
        if (box.bottom > outer.bottom + 1 || box.right > outer.right + 1)
          problems.push(`a text box runs out of ${label(field)}`)
        for (const { node, rects } of texts) {
          if (field.contains(node) && rects.some((r) => overlap(r, box)))
            problems.push(`text “${node.data.trim().slice(0, 24)}” lies on the words of a text box`)
        }
        const style = getComputedStyle(area)
        if (area.scrollHeight > area.clientHeight + 2 && style.overflowY === 'hidden')
          problems.push(`a text box in ${label(field)} hides lines it cannot scroll to`)
      }

      // What a person reads holds no internal code (courtyard_tidy, pending) and no English word.
      // A value to copy for a technician (.lr-code: an address, a key) is not read; nor is a word run into
      // digits (户号 ZJ-005, Open311) or a file's ending (.xlsx).
      const latin = new Set(allowed)
      for (const { node } of texts) {
        if (node.parentElement!.closest('.lr-code')) continue
        for (const word of node.data.match(/(?<![\w.-])[A-Za-z][A-Za-z_]+(?![\w-])/g) ?? []) {
          if (!latin.has(word)) problems.push(`“${word}” in “${node.data.trim().slice(0, 40)}” is not Chinese`)
        }
      }
      return [...new Set(problems)]
    },
    [...LATIN_WORDS, ...ownWords],
  )
}
