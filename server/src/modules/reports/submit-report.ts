import { ErrorCode, type SubmitReportBody } from '@liren/shared/contracts'
import { can, PRIVATE_BY_DEFAULT, type Urgency } from '@liren/shared/rules'
import dayjs from 'dayjs'
import { and, eq } from 'drizzle-orm'
import type { Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../core/db.js'
import { sameRequest } from '../../core/village-rows.js'
import { AppError, forbidden, invalid } from '../../core/errors.js'
import type { WechatClient } from '../../core/wechat.js'
import { identityTables, type VillageMember, notify } from '../identity/index.js'
import { attachPhotos } from '../../core/photos.js'
import { recordEvent } from './events.js'
import { handlersAt } from './handlers.js'
import { getReportSettings } from './settings.js'
import { reports } from './tables.js'

const { grids, households, memberships, persons, users } = identityTables

export interface Submitted {
  id: number
  /** False when the text could not be cleared by the content check: it stays visible to handlers only. */
  published: boolean
}

/**
 * Files a report. The reporter is the caller, or a villager a grid worker files for (代办). The grid is
 * the one chosen or the reporter's household's; the deadlines come from the village's settings for the
 * urgency colour. The text goes through WeChat's content check first: risky text is refused; text the
 * check could not clear is kept from the public feed. The same idempotency key files once per caller and village.
 */
export async function submitReport(
  db: Db,
  wechat: WechatClient,
  actor: Actor,
  member: VillageMember,
  villageId: number,
  body: SubmitReportBody,
  now = new Date(),
  /** Filed through Open311 by an outside system under a key the committee issued: no reporter of ours. */
  external = false,
): Promise<Submitted> {
  const [existing] = await db
    .select({ id: reports.id, isPublic: reports.isPublic })
    .from(reports)
    .where(sameRequest(reports, reports.filedBy, villageId, actor.userId, body.idempotencyKey))
  if (existing) return { id: existing.id, published: existing.isPublic }
  const settings = await getReportSettings(db, villageId)
  const category = body.category.trim()
  if (!settings.categories.includes(category))
    throw new AppError(400, ErrorCode.CATEGORY_NOT_FOUND, '没有这个类别，请重新选择', [
      { field: 'category', message: '不是本村（社区）的类别' },
    ])
  const description = body.description.trim()
  if (description === '') throw invalid('description', '请写一写是什么情况')
  const { latitude = null, longitude = null } = body.location ?? {}
  if ((latitude === null) !== (longitude === null))
    throw invalid(latitude === null ? 'location.latitude' : 'location.longitude', '经度和纬度要一起给')

  // Who it is for.
  let reporterPersonId = external ? null : member.personId
  let reporterUserId: number | null = external ? null : actor.userId
  if (body.onBehalfOf !== undefined) {
    if (!can(member, 'reports.file-for-villager')) throw forbidden('只有网格员和村（居）委会可以替村民上报')
    const [person] = await db
      .select({ id: persons.id, userId: memberships.userId })
      .from(persons)
      .leftJoin(memberships, and(eq(memberships.personId, persons.id), eq(memberships.status, 'verified')))
      .where(and(eq(persons.id, body.onBehalfOf), eq(persons.villageId, villageId), eq(persons.status, 'resident')))
    if (!person)
      throw new AppError(404, ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', [
        { field: 'onBehalfOf', message: '不是本村（社区）的人' },
      ])
    reporterPersonId = person.id
    reporterUserId = person.userId
  }

  // Which grid.
  let gridId: number | null = null
  if (body.gridId !== undefined) {
    const [grid] = await db
      .select({ id: grids.id })
      .from(grids)
      .where(and(eq(grids.id, body.gridId), eq(grids.villageId, villageId)))
    if (!grid)
      throw new AppError(404, ErrorCode.GRID_NOT_FOUND, '没有这个网格', [
        { field: 'gridId', message: '不是本村（社区）的网格' },
      ])
    gridId = grid.id
  } else if (reporterPersonId !== null) {
    const [home] = await db
      .select({ gridId: households.gridId })
      .from(persons)
      .innerJoin(households, eq(households.id, persons.householdId))
      .where(eq(persons.id, reporterPersonId))
    gridId = home?.gridId ?? null
  }

  // The content check, before anything is written.
  const [me] = await db.select({ openid: users.openid }).from(users).where(eq(users.id, actor.userId))
  const check = await wechat.checkText(`${category} ${description} ${body.location?.address ?? ''}`.trim(), me!.openid)
  if (check === 'risky')
    throw new AppError(400, ErrorCode.CONTENT_REJECTED, '内容里有不合适的话，请修改后再提交', [
      { field: 'description', message: '没有通过内容安全检查' },
    ])
  const wantsPublic = body.public ?? !PRIVATE_BY_DEFAULT.includes(category)
  const isPublic = wantsPublic && check === 'pass'

  const urgency: Urgency = body.urgency ?? 'blue'
  const { acceptHours, resolveHours } = settings.deadlines[urgency]
  const acceptDueAt = dayjs(now).add(acceptHours, 'hour').toDate()
  const photos = body.photos ?? []
  try {
    const id = await transaction(db, async (tx) => {
      await attachPhotos(tx, photos, 'photos')
      const [{ id }] = (await tx
        .insert(reports)
        .values({
          villageId,
          gridId,
          category,
          description,
          photos,
          latitude,
          longitude,
          address: body.location?.address?.trim() || null,
          urgency,
          isPublic,
          anonymous: body.anonymous ?? false,
          reporterPersonId,
          reporterUserId,
          filedBy: actor.userId,
          acceptDueAt,
          resolveDueAt: dayjs(now).add(resolveHours, 'hour').toDate(),
          escalateAt: acceptDueAt,
          idempotencyKey: body.idempotencyKey,
          createdAt: now,
        })
        .$returningId()) as [{ id: number }]
      const note = wantsPublic && !isPublic ? '内容还没有通过自动检查，暂时只有处理人能看到' : null
      await recordEvent(tx, {
        reportId: id,
        villageId,
        action: 'submit',
        from: null,
        to: 'submitted',
        note,
        photos,
        actor,
        data: { category, urgency, onBehalfOf: body.onBehalfOf ?? null },
      })
      const handlers = await handlersAt(tx, villageId, gridId, 'grid')
      await notify(
        tx,
        handlers
          .filter((u) => u !== actor.userId)
          .map((userId) => ({
            userId,
            villageId,
            reportId: id,
            title: `新的上报：${category}`,
            body: description.slice(0, 60),
          })),
      )
      return id
    })
    return { id, published: isPublic }
  } catch (err) {
    // The same key twice at once: the other request filed it.
    if (isDuplicateKey(err, 'reports_key_uq'))
      return submitReport(db, wechat, actor, member, villageId, body, now, external)
    throw err
  }
}
