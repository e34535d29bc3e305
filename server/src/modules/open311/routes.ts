import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CreateOpen311KeyBody,
  IssuedOpen311Key,
  Open311KeyList,
  Open311KeyParams,
  VillageParams,
} from '@liren/shared/contracts'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { created, ok, signedInRoute } from '../../core/routes.js'
import type { WechatClient } from '../../core/wechat.js'
import { requirePermission } from '../identity/index.js'
import {
  GeoReportError,
  contactOf,
  MAX_PAGE,
  MAX_PAGE_SIZE,
  createKey,
  createRequest,
  jurisdiction,
  listKeys,
  listRequests,
  requestIdOfToken,
  revokeKey,
  services,
  toXml,
  type RequestsQuery,
} from './georeport.js'

type Format = 'json' | 'xml'
type Query = Record<string, string | undefined>

const formatOf = (raw: string): Format => {
  if (raw === 'json' || raw === 'xml') return raw
  throw new GeoReportError(404, 'format must be .json or .xml')
}

/** The spec's XML root of each answer, and for a list the element of each entry. */
const XML_ITEM = {
  errors: 'error',
  services: 'service',
  service_requests: 'request',
  discovery: '',
  service_definition: '',
} as const

function send(reply: FastifyReply, format: Format, root: keyof typeof XML_ITEM, body: object[] | object, status = 200) {
  reply.status(status)
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, XML_ITEM[root], body))
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body))
}

/** The spec's inputs are single text values: a number is read as its text, a repeated field, a list or an object is refused. */
function single(raw: unknown): Query {
  if (raw === undefined || raw === null) return {}
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new GeoReportError(400, 'the request must be form fields or a JSON object')
  const out: Query = {}
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v)
    else if (v !== undefined && v !== null) throw new GeoReportError(400, `${k} must be a single value`)
  }
  return out
}

/** A whole number from 1 to `max` written in decimal digits (no sign, exponent, hex or spaces), as a page or an id. */
const int = (value: string | undefined, field: string, max = Number.MAX_SAFE_INTEGER) => {
  if (value === undefined || value === '') return undefined
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    throw new GeoReportError(400, `${field} must be a whole number from 1 to ${max}`)
  return n
}
/**
 * Open311 GeoReport v2 under /open311/v2 (http://wiki.open311.org/GeoReport_v2): discovery, services,
 * service definitions, create, list, get and tokens, in JSON or XML by suffix, jurisdiction_id = the
 * village code. Errors are the spec's list of {code, description}.
 */
const open311Route = signedInRoute(['open311'])

export const open311Routes: FastifyPluginAsyncTypebox<{ db: Db; wechat: WechatClient }> = async (
  app,
  { db, wechat },
) => {
  await app.register(async (geo) => {
    await geo.register(formbody)
    geo.setErrorHandler((err, req, reply) => {
      const format: Format = req.url.split('?')[0]!.endsWith('.xml') ? 'xml' : 'json'
      let status = 500
      let description = 'internal error'
      if (err instanceof GeoReportError) [status, description] = [err.status, err.description]
      else if (err instanceof AppError && err.status < 500)
        [status, description] = [
          err.status === 413 ? 400 : err.status,
          err.details?.length ? `${err.details.map((d) => d.field).join(', ')}: ${err.message}` : err.message,
        ]
      else if ((err as { statusCode?: number }).statusCode && (err as { statusCode: number }).statusCode < 500)
        [status, description] = [400, (err as Error).message]
      else req.log.error({ err }, 'open311 failed')
      return send(reply, format, 'errors', [{ code: status, description }], status)
    })
    const base = '/open311/v2'
    const q = (req: FastifyRequest) => single(req.query)
    const doc = (summary: string) => ({ schema: { tags: ['open311'], summary } })
    const params = (req: FastifyRequest) => req.params as Record<string, string>
    /** The answer's format (the path's suffix), then the village its jurisdiction_id names: checked in that order. */
    const asked = async (req: FastifyRequest) => ({
      format: formatOf(params(req).format!),
      village: await jurisdiction(db, q(req).jurisdiction_id),
    })

    geo.get(`${base}/discovery.:format`, doc('GeoReport v2 discovery'), async (req, reply) => {
      const format = formatOf(params(req).format!)
      const url = `${req.protocol}://${req.host}${base}`
      return send(reply, format, 'discovery', {
        changeset: '2026-11-22T00:00:00Z',
        // With a jurisdiction_id (optional here), that village's committee phone and hours.
        contact: await contactOf(db, q(req).jurisdiction_id),
        key_service: '村（居）委会在里仁小程序的“Open311 接口密钥”里发放 api_key',
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url,
            changeset: '2026-11-22T00:00:00Z',
            type: 'production',
            formats: ['application/json', 'text/xml'],
          },
        ],
      })
    })
    geo.get(`${base}/services.:format`, doc('Service list (the village’s report categories)'), async (req, reply) => {
      const { format, village } = await asked(req)
      return send(reply, format, 'services', await services(db, village.id))
    })
    geo.get(`${base}/services/:code.:format`, doc('Service definition'), async (req, reply) => {
      const { code } = params(req)
      const { format, village } = await asked(req)
      if (!(await services(db, village.id)).some((s) => s.service_code === code))
        throw new GeoReportError(404, `service_code ${code} not found`)
      return send(reply, format, 'service_definition', { service_code: code, attributes: [] })
    })
    geo.post(`${base}/requests.:format`, doc('Create a service request (api_key required)'), async (req, reply) => {
      const format = formatOf(params(req).format!)
      const body = single(req.body)
      const village = await jurisdiction(db, body.jurisdiction_id ?? q(req).jurisdiction_id)
      const created = await createRequest(
        db,
        wechat,
        village.id,
        { ...body, api_key: body.api_key ?? q(req).api_key },
        req.id,
      )
      return send(reply, format, 'service_requests', [created], 201)
    })
    geo.get(`${base}/requests.:format`, doc('Service requests (public ones)'), async (req, reply) => {
      const { format, village } = await asked(req)
      const query = q(req)
      const filters: RequestsQuery = {
        ...query,
        page: int(query.page, 'page', MAX_PAGE),
        page_size: int(query.page_size, 'page_size', MAX_PAGE_SIZE),
      }
      return send(
        reply,
        format,
        'service_requests',
        await listRequests(db, village.id, `${req.protocol}://${req.host}`, filters),
      )
    })
    geo.get(`${base}/requests/:id.:format`, doc('One service request'), async (req, reply) => {
      const { id } = params(req)
      const { format, village } = await asked(req)
      const found = await listRequests(db, village.id, `${req.protocol}://${req.host}`, {
        service_request_id: String(int(id, 'service_request_id')),
      })
      if (found.length === 0) throw new GeoReportError(404, `service_request_id ${id} not found`)
      return send(reply, format, 'service_requests', found)
    })
    geo.get(`${base}/tokens/:token.:format`, doc('Service request id of a token'), async (req, reply) => {
      const { format, village } = await asked(req)
      return send(reply, format, 'service_requests', await requestIdOfToken(db, village.id, params(req).token!))
    })
  })

  // The committee issues and revokes keys (our usual API and error shape).
  const committee = [app.authenticate, requirePermission(db, 'open311.keys')]
  app.get(
    '/api/villages/:villageId/open311/keys',
    open311Route(committee, 'Open311 密钥', { params: VillageParams, response: ok(Open311KeyList) }),
    async (req) => listKeys(db, req.params.villageId),
  )
  app.post(
    '/api/villages/:villageId/open311/keys',
    open311Route(committee, '发放 Open311 密钥（只显示这一次）', {
      params: VillageParams,
      body: CreateOpen311KeyBody,
      response: created(IssuedOpen311Key),
    }),
    async (req, reply) =>
      reply.status(201).send(await createKey(db, req.params.villageId, req.body.label.trim(), req.actor.userId)),
  )
  app.post(
    '/api/villages/:villageId/open311/keys/:keyId/revoke',
    open311Route(committee, '停用 Open311 密钥', { params: Open311KeyParams, response: ok(Open311KeyList) }),
    async (req) => {
      await revokeKey(db, req.params.villageId, req.params.keyId)
      return listKeys(db, req.params.villageId)
    },
  )
}
