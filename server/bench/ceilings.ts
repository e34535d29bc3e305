import Fastify from 'fastify'
import type { SqlPool } from '../src/core/db.js'

/**
 * The ceilings every scenario is measured against, on a bare Fastify with no plugins:
 * hello-world (HTTP alone), a bare read (one primary-key SELECT through mysql2) and a bare
 * write (one INSERT in a transaction through mysql2).
 */
export async function buildCeilingServer(pool: SqlPool) {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_ceiling (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, note VARCHAR(64) NOT NULL, created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))',
  )
  await pool.query("INSERT INTO bench_ceiling (id, note) VALUES (1, 'ceiling') ON DUPLICATE KEY UPDATE note = note")
  const app = Fastify({ logger: false })
  app.get('/hello', async () => ({ hello: 'world' }))
  app.get('/read', async () => {
    const [rows] = await pool.query('SELECT id, note, created_at FROM bench_ceiling WHERE id = ?', [1])
    return (rows as unknown[])[0]
  })
  app.post('/write', async () => {
    const conn = await pool.getConnection()
    try {
      await conn.beginTransaction()
      const [result] = await conn.query('INSERT INTO bench_ceiling (note) VALUES (?)', ['write'])
      await conn.commit()
      return { id: (result as { insertId: number }).insertId }
    } catch (err) {
      await conn.rollback()
      throw err
    } finally {
      conn.release()
    }
  })
  // Bench setup only: public reports in bulk (MariaDB's sequence engine), and the cursor of a page
  // three quarters of the way down the feed.
  app.post('/seed-reports', async (req) => {
    const { villageId, count } = req.query as { villageId: string; count: string }
    const [[user]] = (await pool.query('SELECT user_id AS id FROM memberships WHERE village_id = ? LIMIT 1', [
      villageId,
    ])) as unknown as [[{ id: number }]]
    await pool.query(
      `INSERT INTO reports (village_id, category, description, photos, urgency, is_public, filed_by, accept_due_at, resolve_due_at, idempotency_key, created_at)
       SELECT ?, ELT(1 + seq % 7, '环境卫生','设施损坏','治安隐患','矛盾纠纷','民生诉求','文明劝导','其他'), CONCAT('压测上报 ', seq), '[]',
              ELT(1 + seq % 3, 'blue','orange','red'), 1, ?, NOW(3) + INTERVAL 2 DAY, NOW(3) + INTERVAL 7 DAY, CONCAT('bench-seed-', seq), NOW(3)
       FROM seq_1_to_${Number(count)}`,
      [villageId, user.id],
    )
    const [[deep]] = (await pool.query(
      'SELECT id FROM reports WHERE village_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?',
      [villageId, Math.floor(Number(count) * 0.75)],
    )) as unknown as [[{ id: number }]]
    return { deepCursor: String(deep.id) }
  })
  return app
}
