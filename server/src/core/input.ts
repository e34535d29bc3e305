import type { FastifyRequest } from 'fastify'
import { invalid } from './errors.js'

/**
 * Half of a UTF-16 surrogate pair on its own (with the u flag the class matches no whole pair), or a
 * control character other than tab, line feed and carriage return (NUL, escape, bell).
 */
const BROKEN = /[\uD800-\uDFFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u
/** Blank at either end: white space (the full-width space included) and the zero-width characters. */
const EDGES = /^[\s\u200B-\u200D\u2060]+|[\s\u200B-\u200D\u2060]+$/gu

/**
 * The path of the first string under `holder[key]` holding broken text ('' for the value itself), or
 * null; each string trimmed in place when `trim`. Iterative: a body may nest deeper than the stack.
 */
function clean(holder: Record<string, unknown>, key: string, trim: boolean): string | null {
  const stack: [Record<string, unknown>, string, string][] = [[holder, key, '']]
  while (stack.length) {
    const [parent, k, path] = stack.pop()!
    const v = parent[k]
    if (typeof v === 'string') {
      if (BROKEN.test(v)) return path
      if (trim) parent[k] = v.replace(EDGES, '')
    } else if (v && typeof v === 'object') {
      for (const child of Object.keys(v)) stack.push([v as Record<string, unknown>, child, path ? `${path}.${child}` : child])
    }
  }
  return null
}

/**
 * preValidation: trims the body's text, so a title of spaces or zero-width characters meets the
 * contract's minLength like an empty one; and refuses text no keyboard types, in the body or the query.
 * A lone surrogate, which JSON can spell (`"\ud800"`), is refused by MariaDB's JSON columns (the audit
 * log's among them: a 500) and stored as U+FFFD by its text columns; a control character has no place
 * in a village's text, and XML (Open311) cannot carry one.
 */
export async function cleanInput(req: FastifyRequest): Promise<void> {
  const at = clean(req as unknown as Record<string, unknown>, 'body', true) ?? clean(req as unknown as Record<string, unknown>, 'query', false)
  if (at !== null) throw invalid(at || 'body', '有无法识别的字符，请删掉后重新输入')
}
