import { defineConfig } from 'drizzle-kit'

// Only `generate` is used: migrations are applied by the programmatic migrator at boot (see core/db.ts).
export default defineConfig({
  dialect: 'mysql',
  schema: ['./src/core/tables.ts', './src/modules/*/tables.ts'],
  out: './drizzle',
})
