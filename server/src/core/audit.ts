import type { Executor } from './db.js'
import { auditLog } from './tables.js'

/** Who is acting and under which request: passed to every use case that changes state. */
export interface Actor {
  userId: number
  requestId: string
}

export interface AuditEntry {
  villageId: number | null
  action: string
  entity: string
  entityId: number
  data?: Record<string, unknown>
}

/** Appends one row to the audit log, inside the caller's transaction so it stands or falls with the change. */
export async function audit(tx: Executor, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    villageId: entry.villageId,
    actorUserId: actor?.userId ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    data: entry.data ?? null,
    requestId: actor?.requestId ?? null,
  })
}
