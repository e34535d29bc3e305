import fc from 'fast-check'

/** The part of JSON Schema (as @fastify/swagger writes the contracts into OpenAPI) the arbitraries read. */
export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  anyOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  nullable?: boolean
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minItems?: number
  maxItems?: number
  uniqueItems?: boolean
  minProperties?: number
  title?: string
}

/** Known good values for a field by its name (real ids, the village's categories), so valid cases reach past the first lookup. */
export type Hints = (field: string) => unknown[] | undefined

/** Text no keyboard types: NUL and other control characters, lone surrogates (JSON can spell them). The server refuses them. */
export const BROKEN_TEXT = ['\u0000', 'a\u0000b', '\u0007\u001B[31m', '\uD800', '\uDFFF', 'x\uDBFFy']

/** Pieces of text that have broken software before: emoji sequences, combining marks, bidi controls, zero-width, full-width digits. */
export const ODD_TEXT = [
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇨🇳',
  'e\u0301\u0302\u0303',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  'مرحبا',
  '\u202Egnirts\u202C',
  '\u200B\u200C\u200D\u2060\uFEFF',
  '１２３４５',
  '\u3000',
  '\t\r\n',
  '村口垃圾',
  '𠀀𪚥',
  '\\',
  '"',
  '%00',
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
]

/** What an attacker types: SQL, markup, script. */
export const HOSTILE_TEXT = [
  "' OR 1=1 --",
  "1' OR '1'='1",
  '; DROP TABLE users; --',
  "'; DELETE FROM reports WHERE '1'='1",
  '1 UNION SELECT openid FROM users',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '<!--',
  ']]><x>',
  '<a href="javascript:alert(1)">点我</a>',
]

const len = (s: string) => [...s].length

/** A string of exactly n code points built from odd pieces and plain Chinese and Latin characters. */
const textOfLength = (n: number) =>
  fc
    .array(
      fc.oneof(
        { arbitrary: fc.constantFrom(...ODD_TEXT, ...HOSTILE_TEXT), weight: 1 },
        { arbitrary: fc.constantFrom('村', '民', 'a', 'Z', '1', ' ', '·', '。'), weight: 3 },
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((pieces) => {
      let cps = [...pieces.join('')]
      while (cps.length < n) cps = cps.concat(cps.length ? cps : ['村'])
      return cps.slice(0, n).join('')
    })

function oddString(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0
  const max = Math.min(s.maxLength ?? 300, 5000)
  return fc.oneof(
    textOfLength(min),
    textOfLength(max),
    fc.integer({ min, max }).chain(textOfLength),
    fc.constantFrom(...ODD_TEXT, ...HOSTILE_TEXT).filter((x) => len(x) >= min && len(x) <= max),
  )
}

function validString(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'date-time') {
    const day = 86_400_000
    return fc.oneof(
      fc.integer({ min: -30 * day, max: 60 * day }).map((off) => new Date(Date.now() + off).toISOString()),
      fc
        .date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constantFrom(
        '2026-02-29T00:00:00Z',
        '1970-01-01T00:00:00Z',
        '2099-12-31T23:59:59.999+08:00',
        '0001-01-01T00:00:00Z',
        '9999-12-31T23:59:59.999Z',
        '2038-01-19T03:14:08Z',
      ),
    )
  }
  if (s.format === 'date')
    return fc.oneof(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      fc.constantFrom('2025-02-29', '2024-02-29', '0000-00-00', '0001-01-01', '9999-12-31'),
    )
  if (s.pattern) {
    const re = new RegExp(s.pattern, 'u')
    return fc.stringMatching(re).filter((x) => len(x) >= (s.minLength ?? 0) && len(x) <= (s.maxLength ?? Infinity))
  }
  return oddString(s)
}

function validNumber(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo =
    s.minimum ??
    (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : integer ? -(2 ** 31) : -1e9)
  const hi =
    s.maximum ??
    (s.exclusiveMaximum !== undefined
      ? s.exclusiveMaximum - (integer ? 1 : 1e-9)
      : integer
        ? Number.MAX_SAFE_INTEGER
        : 1e9)
  const edges = [lo, hi, lo + (integer ? 1 : 0.5), 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1].filter(
    (x) => x >= lo && x <= hi,
  )
  const inner = integer
    ? fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31 - 1) })
    : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true })
  return fc.oneof(
    fc.constantFrom(...edges),
    inner,
    fc.integer({ min: Math.max(lo, 0), max: Math.max(Math.min(hi, 50), Math.max(lo, 0)) }),
  )
}

function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? s.type[0] : s.type
}

/** A value the schema accepts, as odd as allowed: boundary lengths and numbers, unicode edge cases. */
export function valid(s: JsonSchema, hints: Hints = () => undefined, field = ''): fc.Arbitrary<unknown> {
  // A hint fits when it is a list for a list and a single value otherwise (`membershipIds` names both the list and its items).
  const known = hints(field)?.filter((k) => Array.isArray(k) === (typeOf(s) === 'array'))
  const plain = validPlain(s, hints, field)
  const base = known?.length
    ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: plain, weight: 1 })
    : plain
  return s.nullable ? fc.oneof({ arbitrary: base, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }) : base
}

function validPlain(s: JsonSchema, hints: Hints, field: string): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const)
  if (s.enum) return fc.constantFrom(...s.enum)
  if (s.anyOf) return fc.oneof(...s.anyOf.map((x) => valid(x, hints, field)))
  switch (typeOf(s)) {
    case 'string':
      return validString(s)
    case 'integer':
      return validNumber(s, true)
    case 'number':
      return validNumber(s, false)
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array': {
      const items = valid(s.items ?? {}, hints, field)
      const minLength = s.minItems ?? 0
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 5, 12))
      return fc.oneof(fc.array(items, { minLength, maxLength }), fc.array(items, { minLength: maxLength, maxLength }))
    }
    case 'object':
      return validObject(s, hints)
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

function validObject(s: JsonSchema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {}
  const keys = Object.keys(props)
  const required = s.required ?? []
  const record = fc.record(Object.fromEntries(keys.map((k) => [k, valid(props[k]!, hints, k)])), {
    requiredKeys: required.filter((k) => k in props),
  }) as fc.Arbitrary<Record<string, unknown>>
  const min = s.minProperties ?? 0
  return min > 0 && keys.length ? record.filter((r) => Object.keys(r).length >= min) : record
}

const RAW = 'raw-json-number:'
/**
 * A number written as JSON text that JavaScript cannot hold: `1e400` and 400 nines parse to Infinity,
 * 2^53 + 1 to 2^53. JSON.stringify would write Infinity as null, so it travels as a marked string
 * until `toJson` writes the body (and `asText` a query or path).
 */
export const rawNumber = (text: string) => `${RAW}${text}`
/** JSON text of a generated value, with the numbers marked by `rawNumber` written bare. */
export const toJson = (value: unknown): string =>
  (JSON.stringify(value) ?? 'null').replace(/"raw-json-number:([^"]*)"/g, '$1')
/** A generated value as the text of a query or path parameter. */
export const asText = (v: unknown): string =>
  typeof v === 'string' ? (v.startsWith(RAW) ? v.slice(RAW.length) : v) : (JSON.stringify(v) ?? String(v))

/** Numbers no integer field may take, as JSON numbers (bare, past what JavaScript holds) and as the text a query, a path or a JSON string carries. */
export const OVERFLOWING_JSON = [
  '1e400',
  '-1e400',
  '1e309',
  '9'.repeat(400),
  `-${'9'.repeat(400)}`,
  '9007199254740993',
  '1e20',
  '18446744073709551616',
].map(rawNumber)
export const OVERFLOWING_TEXT = [
  'Infinity',
  '-Infinity',
  'NaN',
  '1e400',
  '-1e400',
  '1e309',
  '9'.repeat(400),
  '9007199254740993',
  '99999999999999999999',
  '1e20',
  '1e3',
  '0x10',
  ' 5',
  '5 ',
  '+5',
  '5.0',
  '1_000',
  '１２',
]

/** A number JSON can carry that no id or count should accept, and strings that only look like numbers. */
const BAD_NUMBERS: unknown[] = [
  -1,
  0,
  -0,
  0.5,
  1.5,
  -2147483649,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 64,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  '',
  null,
  true,
  ...OVERFLOWING_JSON,
  ...OVERFLOWING_TEXT,
]

/** What a wrong type looks like: every JSON type, and some that look right. */
const WRONG_TYPES: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    '',
    'true',
    '[]',
    '{}',
    [],
    {},
    [1, 2],
    { a: 1 },
    [null],
    ['x'],
    { $gt: '' },
    JSON.parse('{"__proto__":{"admin":true}}'),
  ),
  fc.jsonValue({ maxDepth: 3 }),
)

/** 100 KB of text (under the 1 MB body limit), and more than 1 MB once in a while. */
export const HUGE = fc.constantFrom(
  '村'.repeat(100_000),
  'a'.repeat(100 * 1024),
  `${"' OR 1=1 --".repeat(10_000)}`,
  '<script>'.repeat(15_000),
)

function invalidString(s: JsonSchema): fc.Arbitrary<unknown> {
  const arbs: fc.Arbitrary<unknown>[] = [HUGE, fc.constantFrom(...HOSTILE_TEXT), fc.constantFrom(...BROKEN_TEXT)]
  if (s.maxLength !== undefined) arbs.push(textOfLength(s.maxLength + 1))
  if (s.minLength)
    arbs.push(
      textOfLength(s.minLength - 1),
      fc.constant(' '.repeat(s.minLength)),
      fc.constant('\u200B'.repeat(s.minLength)),
      fc.constant('\u3000'.repeat(s.minLength)),
    )
  if (s.format)
    arbs.push(
      fc.constantFrom(
        '2024-13-45T25:61:61Z',
        'yesterday',
        '0000-00-00',
        '2024-02-30',
        '+275760-09-13T00:00:00.000Z',
        '2024-01-01T00:00:00',
        '1e10',
      ),
    )
  if (s.pattern)
    arbs.push(
      fc.constantFrom(
        '１２３４５６',
        '0000-00-00',
        '9999-99-99',
        '2024-00',
        '2024-13',
        'AAAA-BBBB-CCC',
        'A'.repeat(64),
        'g'.repeat(64),
        '\u0000',
        "' OR 1=1 --",
      ),
    )
  return fc.oneof(...arbs)
}

function invalidNumber(s: JsonSchema): fc.Arbitrary<unknown> {
  const arbs: fc.Arbitrary<unknown>[] = [fc.constantFrom(...BAD_NUMBERS), fc.constantFrom(...HOSTILE_TEXT), fc.double()]
  if (s.minimum !== undefined) arbs.push(fc.constant(s.minimum - 1))
  if (s.maximum !== undefined) arbs.push(fc.constant(s.maximum + 1), fc.constant(s.maximum + 0.5))
  return fc.oneof(...arbs)
}

/** A value the schema should refuse (or that tests its edges): wrong types, out of range, huge, hostile, missing or extra fields. */
export function invalid(s: JsonSchema, hints: Hints = () => undefined): fc.Arbitrary<unknown> {
  const arbs: fc.Arbitrary<unknown>[] = [WRONG_TYPES]
  if (s.enum || s.anyOf || s.const !== undefined)
    arbs.push(fc.constantFrom('', 'other', 'MONTH', ' month', ...HOSTILE_TEXT))
  switch (typeOf(s)) {
    case 'string':
      arbs.push(invalidString(s))
      break
    case 'integer':
    case 'number':
      arbs.push(invalidNumber(s))
      break
    case 'array': {
      const items = s.items ?? {}
      arbs.push(fc.array(invalid(items, hints), { minLength: 1, maxLength: 3 }))
      if (s.maxItems !== undefined)
        arbs.push(fc.array(valid(items, hints), { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 }))
      if (s.minItems) arbs.push(fc.constant([]))
      arbs.push(fc.constant(Array.from({ length: 10_000 }, (_, i) => i)))
      break
    }
    case 'object':
      arbs.push(invalidObject(s, hints))
      break
  }
  return fc.oneof(...arbs)
}

const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  'id',
  'villageId',
  'userId',
  'role',
  'roles',
  'admin',
  'isCommittee',
  'state',
  'createdAt',
  'points',
  'balance',
  "' OR 1=1 --",
  '<script>',
  '',
]

function invalidObject(s: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const props = s.properties ?? {}
  const keys = Object.keys(props)
  const base = validObject(s, hints)
  const arbs: fc.Arbitrary<unknown>[] = [
    // extra fields, including ones that name what the server decides
    fc
      .tuple(
        base,
        fc.dictionary(
          fc.constantFrom(...EXTRA_KEYS),
          fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(...HOSTILE_TEXT)),
          { minKeys: 1, maxKeys: 4 },
        ),
      )
      .map(([o, extra]) => ({ ...o, ...extra })),
  ]
  if (s.required?.length)
    arbs.push(
      fc
        .tuple(base, fc.constantFrom(...s.required))
        .map(([o, k]) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k))),
    )
  if (keys.length) {
    // one field wrong, the rest right
    arbs.push(
      fc
        .tuple(base, fc.constantFrom(...keys))
        .chain(([o, k]) => invalid(props[k]!, hints).map((bad) => ({ ...o, [k]: bad }))),
    )
    arbs.push(
      fc
        .tuple(base, fc.constantFrom(...keys))
        .chain(([o, k]) => invalid(props[k]!, hints).map((bad) => ({ ...o, [k]: bad }))),
    )
  }
  return fc.oneof(...arbs)
}

/** Valid-but-odd two times in five, invalid three times in five. */
export function anyValue(s: JsonSchema, hints: Hints = () => undefined, field = ''): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid(s, hints, field), weight: 2 }, { arbitrary: invalid(s, hints), weight: 3 })
}
