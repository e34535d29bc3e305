import { ErrorCode } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import { affectedRows } from '../../../core/db.js'
import { conflict, forbidden } from '../../../core/errors.js'
import { personAccount, transfer } from '../ledger/ledger.js'
import { serviceStep } from './service-step.js'
import { findService, providerOf, receiverOf } from './service-view.js'
import { neighbourServices } from '../tables.js'

/**
 * The receiver confirms the service was done and the agreed points move from them to the provider,
 * once: the status moves `taken` → `completed` by a conditional update, in the same transaction as
 * the transfer, so a receiver without enough points leaves everything as it was.
 */
export const completeService = serviceStep(
  'service.completed',
  async (tx, { actor, villageId, serviceId, personId }) => {
    const s = await findService(tx, villageId, serviceId)
    if (s.status !== 'taken')
      throw conflict(
        ErrorCode.SERVICE_NOT_OPEN,
        s.status === 'completed'
          ? '这条服务已经确认完成了'
          : s.status === 'open'
            ? '这条服务还没有人接'
            : '这条服务已经撤回了',
      )
    const receiver = receiverOf(s)!
    const provider = providerOf(s)!
    if (receiver !== personId) throw forbidden('只有接受服务的一方可以确认完成')
    const completed = await tx
      .update(neighbourServices)
      .set({ status: 'completed' })
      .where(and(eq(neighbourServices.id, serviceId), eq(neighbourServices.status, 'taken')))
    if (affectedRows(completed) !== 1) throw conflict(ErrorCode.SERVICE_NOT_OPEN, '这条服务已经确认完成了')

    // The transfer locks both accounts in one statement, in primary-key order: no deadlock between two
    // services of the same pair.
    const entryId = await transfer(tx, {
      villageId,
      fromAccountId: await personAccount(tx, villageId, receiver),
      toAccountId: await personAccount(tx, villageId, provider),
      amount: s.points,
      kind: 'transfer',
      reason: `服务互换：${s.title}`,
      ref: { type: 'neighbour_service', id: serviceId },
      createdBy: actor.userId,
      key: `service:${serviceId}`,
    })
    await tx.update(neighbourServices).set({ entryId }).where(eq(neighbourServices.id, serviceId))
    return { from: receiver, to: provider, points: s.points, entryId }
  },
)
