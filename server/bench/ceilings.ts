import Fastify from 'fastify'
import type mysql from 'mysql2/promise'

/**
 * The ceilings every scenario is measured against, on a bare Fastify with no plugins:
 * hello-world (HTTP alone), a bare read (one primary-key SELECT through mysql2) and a bare
 * write (one INSERT in a transaction through mysql2).
 */
export async function buildCeilingServer(pool: mysql.Pool) {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_ceiling (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, note VARCHAR(64) NOT NULL, created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))')
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
  return app
}
