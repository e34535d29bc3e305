import { createHash, randomBytes } from 'node:crypto'
import { ErrorCode } from '@liren/shared/contracts'
import { OPEN_STATES, placeWords, type ReportState } from '@liren/shared/rules'
import { and, desc, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm'
import { XMLBuilder } from 'fast-xml-parser'
import { affectedRows, type Db, type Executor } from '../../core/db.js'
import { photoUrls } from '../../core/photos.js'
import { identityTables } from '../identity/index.js'
import { AppError } from '../../core/errors.js'
import type { WechatClient } from '../../core/wechat.js'
import { getReportSettings, reportTables, submitReport } from '../reports/index.js'
import { open311Keys } from './tables.js'

const { villages } = identityTables
const { reports, reportEvents } = reportTables

/** An Open311 error: answered as the spec's list of {code, description}, with the same HTTP status. */
export class GeoReportError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly description: string,
  ) {
    super(description)
  }
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex')
export const newApiKey = () => `l311_${randomBytes(24).toString('base64url')}`

/** jurisdiction_id is the village code. */
export async function jurisdiction(
  db: Executor,
  id: string | undefined,
): Promise<{ id: number; code: string; name: string }> {
  if (!id) throw new GeoReportError(400, 'jurisdiction_id is required (the village code)')
  const [v] = await db
    .select({ id: villages.id, code: villages.code, name: villages.name })
    .from(villages)
    .where(eq(villages.code, id))
  if (!v) throw new GeoReportError(404, `jurisdiction_id ${id} not found`)
  return v
}

/**
 * Whom to contact about a village's requests (discovery's `contact`): its committee's phone and office hours
 * where it has set them, else the general advice. An unknown code gets the general advice too.
 */
export async function contactOf(db: Executor, code: string | undefined): Promise<string> {
  const general = '请联系所在村（居）委会'
  if (!code) return general
  const [v] = await db
    .select({ name: villages.name, kind: villages.kind, phone: villages.committeePhone, hours: villages.officeHours })
    .from(villages)
    .where(eq(villages.code, code))
  if (!v || (!v.phone && !v.hours)) return general
  const ways = [v.phone && `电话 ${v.phone}`, v.hours && `办公时间 ${v.hours}`].filter(Boolean).join('，')
  return `${v.name}${placeWords(v.kind).committee}：${ways}`
}

/** The key's issuer, when the key is live and belongs to this village. */
export async function keyHolder(db: Executor, villageId: number, apiKey: string | undefined): Promise<number> {
  if (!apiKey) throw new GeoReportError(403, 'api_key is required')
  const [key] = await db
    .select({ createdBy: open311Keys.createdBy, villageId: open311Keys.villageId })
    .from(open311Keys)
    .where(and(eq(open311Keys.keyHash, hashKey(apiKey)), isNull(open311Keys.revokedAt)))
  if (!key || key.villageId !== villageId) throw new GeoReportError(403, 'api_key is not valid for this jurisdiction')
  return key.createdBy
}

/** A decimal number as written in a form ("39.9", "-0.5"): no exponent, hex, spaces or Infinity. */
const num = (value: string | undefined, field: string) => {
  if (value === undefined || value === '') return undefined
  if (!/^-?\d{1,3}(\.\d{1,30})?$/.test(value))
    throw new GeoReportError(400, `${field} must be a decimal number, e.g. 39.9`)
  return Number(value)
}

/**
 * POST requests: files a report under the committee's api_key, for an outside reporter (no villager
 * of ours), public, at once; the token the answer carries finds it again.
 */
export async function createRequest(
  db: Db,
  wechat: WechatClient,
  villageId: number,
  body: Record<string, string | undefined>,
  requestId: string,
) {
  const issuer = await keyHolder(db, villageId, body.api_key)
  if (!body.service_code) throw new GeoReportError(400, 'service_code is required')
  if (!body.description) throw new GeoReportError(400, 'description is required')
  const lat = num(body.lat, 'lat')
  const long = num(body.long, 'long')
  if ((lat === undefined) !== (long === undefined)) throw new GeoReportError(400, 'lat and long go together')
  if (lat === undefined && !body.address_string)
    throw new GeoReportError(400, 'a location is required: lat and long, or address_string')
  if (lat !== undefined && (lat < 3 || lat > 54 || long! < 73 || long! > 136))
    throw new GeoReportError(400, 'lat/long must be within China')
  if (body.description.length > 500) throw new GeoReportError(400, 'description: at most 500 characters')
  const token = randomBytes(12).toString('hex')
  const { id } = await submitReport(
    db,
    wechat,
    { userId: issuer, requestId },
    { membershipId: null, villageId, roles: [], personId: null },
    villageId,
    {
      category: body.service_code,
      description: body.description,
      location: { latitude: lat, longitude: long, address: body.address_string?.slice(0, 200) },
      public: true,
      idempotencyKey: `open311:${token}`,
    },
    new Date(),
    true,
  ).catch((err: unknown) => {
    if (err instanceof AppError && err.code === ErrorCode.CATEGORY_NOT_FOUND)
      throw new GeoReportError(400, `service_code ${body.service_code} not found`)
    throw err
  })
  // No account_id: the outside reporter has no account with us, and none of ours is named.
  return {
    service_request_id: String(id),
    token,
    service_notice: '已交村（居）委会，受理和办理的进展会在这条诉求的状态里更新',
  }
}

/** Services are the village's report categories; the code is the category itself. */
export async function services(db: Executor, villageId: number) {
  const { categories } = await getReportSettings(db, villageId)
  return categories.map((c) => ({
    service_code: c,
    service_name: c,
    description: `${c}（随手拍类别）`,
    metadata: false,
    type: 'realtime',
    keywords: '',
    group: '随手拍',
  }))
}

const statusOf = (state: ReportState) => (OPEN_STATES.includes(state) ? 'open' : 'closed')

export interface RequestsQuery {
  service_request_id?: string
  service_code?: string
  start_date?: string
  end_date?: string
  status?: string
  page?: number
  page_size?: number
}

/** The spec's most requests in one answer; and the last page one may ask for (an offset of at most 10^7 rows). */
export const MAX_PAGE_SIZE = 1000
export const MAX_PAGE = 10_000

const dateOf = (value: string | undefined, field: string) => {
  if (value === undefined) return undefined
  const d = new Date(value)
  if (Number.isNaN(d.getTime()))
    throw new GeoReportError(400, `${field} must be a w3 date-time, e.g. 2026-11-01T00:00:00Z`)
  return d
}

/**
 * Public reports as GeoReport v2 service requests, newest first. No reporter is ever named (the
 * spec has no field for it, and anonymous reporters stay so); private reports are not listed.
 * Without ids the spec's defaults apply: the last 90 days, at most 1000; `page`/`page_size` page them.
 */
export async function listRequests(db: Executor, villageId: number, origin: string, q: RequestsQuery) {
  const filters: (SQL | undefined)[] = [eq(reports.villageId, villageId), eq(reports.isPublic, true)]
  if (q.service_request_id) {
    const ids = q.service_request_id.split(',').map((s) => (/^\d{1,16}$/.test(s.trim()) ? Number(s) : NaN))
    if (ids.some((id) => !Number.isSafeInteger(id) || id < 1) || ids.length > 100)
      throw new GeoReportError(400, 'service_request_id must be up to 100 comma-separated ids')
    filters.push(inArray(reports.id, ids))
  } else {
    const end = dateOf(q.end_date, 'end_date') ?? new Date()
    const start = dateOf(q.start_date, 'start_date') ?? new Date(end.getTime() - 90 * 24 * 3600_000)
    filters.push(gte(reports.createdAt, start), lte(reports.createdAt, end))
  }
  if (q.service_code)
    filters.push(
      inArray(
        reports.category,
        q.service_code.split(',').map((s) => s.trim()),
      ),
    )
  if (q.status) {
    const statuses = q.status.split(',').map((s) => s.trim())
    if (statuses.some((s) => s !== 'open' && s !== 'closed'))
      throw new GeoReportError(400, 'status must be open or closed')
    if (statuses.length === 1)
      filters.push(
        statuses[0] === 'open'
          ? inArray(reports.state, [...OPEN_STATES])
          : sql`${reports.state} NOT IN ('submitted','accepted','in_progress')`,
      )
  }
  const size = q.page_size ?? MAX_PAGE_SIZE
  const page = q.page ?? 1
  // Spelled out: in a one-table query drizzle leaves columns unqualified, and inside the subquery a bare
  // `id` would be the event's.
  const reportId = sql.raw('`reports`.`id`')
  const rows = await db
    .select({
      r: reports,
      lastNote: sql<
        string | null
      >`(SELECT e.note FROM ${reportEvents} e WHERE e.report_id = ${reportId} AND e.action <> 'submit' ORDER BY e.id DESC LIMIT 1)`,
      // Read as the column is (UTC), not parsed as local time.
      updatedAt:
        sql<Date | null>`(SELECT MAX(e.created_at) FROM ${reportEvents} e WHERE e.report_id = ${reportId})`.mapWith(
          reportEvents.createdAt,
        ),
    })
    .from(reports)
    .where(and(...filters))
    .orderBy(desc(reports.id))
    .limit(size)
    .offset((page - 1) * size)
  // The schemas' "no value" is null (or absent), never "": media_url must otherwise be a URI, lat/long numbers.
  return rows.map(({ r, lastNote, updatedAt }) => ({
    service_request_id: String(r.id),
    status: statusOf(r.state),
    status_notes: lastNote || null,
    service_name: r.category,
    service_code: r.category,
    description: r.description,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: r.createdAt.toISOString(),
    updated_datetime: (updatedAt ?? r.createdAt).toISOString(),
    expected_datetime: (r.state === 'submitted' ? r.acceptDueAt : r.resolveDueAt).toISOString(),
    address: r.address || null,
    address_id: null,
    zipcode: null,
    lat: r.latitude,
    long: r.longitude,
    media_url: r.photos[0] ? `${origin}${photoUrls(r.photos[0]).url}` : null,
  }))
}

/** A request by the token POST gave (we file at once, so a token always has its id). */
export async function requestIdOfToken(db: Executor, villageId: number, token: string) {
  const [r] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.villageId, villageId), eq(reports.idempotencyKey, `open311:${token}`)))
  if (!r) throw new GeoReportError(404, `token ${token} not found`)
  return [{ service_request_id: String(r.id), token }]
}

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false })

/** In the spec's XML a list is an element wrapping one element per entry (<endpoints><endpoint>…). */
const LIST_ENTRY: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
}

/** XML has no null and no arrays: null is an empty element, a list is its wrapper (empty when the list is). */
function xmlOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (!Array.isArray(v)) return [k, xmlOf(v)]
      const entry = LIST_ENTRY[k]
      if (!entry) throw new Error(`no XML element name for the entries of ${k}`)
      return [k, v.length === 0 ? null : { [entry]: v.map(xmlOf) }]
    }),
  )
}

/** The spec's XML: a list is a root element wrapping one `item` element per entry; an object is the root's content. */
export function toXml(root: string, item: string, body: object[] | object): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build({ [root]: Array.isArray(body) ? { [item]: body.map(xmlOf) } : xmlOf(body) })}`
}

export async function createKey(db: Db, villageId: number, label: string, createdBy: number) {
  const key = newApiKey()
  const [{ id }] = (await db
    .insert(open311Keys)
    .values({ villageId, keyHash: hashKey(key), label, createdBy })
    .$returningId()) as [{ id: number }]
  return { id, key, label }
}

export async function listKeys(db: Executor, villageId: number) {
  const rows = await db
    .select()
    .from(open311Keys)
    .where(eq(open311Keys.villageId, villageId))
    .orderBy(desc(open311Keys.id))
  return rows.map((k) => ({
    id: k.id,
    label: k.label,
    createdAt: k.createdAt.toISOString(),
    revoked: k.revokedAt !== null,
  }))
}

export async function revokeKey(db: Db, villageId: number, keyId: number, now = new Date()): Promise<void> {
  const res = await db
    .update(open311Keys)
    .set({ revokedAt: now })
    .where(and(eq(open311Keys.id, keyId), eq(open311Keys.villageId, villageId), isNull(open311Keys.revokedAt)))
  if (affectedRows(res) !== 1)
    throw new AppError(404, ErrorCode.NOT_FOUND, '没有这个密钥，或已经停用', [{ field: 'keyId', message: '不存在' }])
}
