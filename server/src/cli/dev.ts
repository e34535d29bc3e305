import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** `npm run dev`: the H5 and weapp clients rebuild on change, and the server restarts on change. */
const root = fileURLToPath(new URL('../../../', import.meta.url))
const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' }
const children: ChildProcess[] = [
  spawn('npm', ['run', 'dev:h5', '-w', '@liren/client'], { cwd: root, stdio: 'inherit', env }),
  spawn('npm', ['run', 'dev:weapp', '-w', '@liren/client'], { cwd: root, stdio: 'inherit', env }),
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'src/main.ts'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    stdio: 'inherit',
    env,
  }),
]
const stop = () => {
  for (const c of children) c.kill('SIGTERM')
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const c of children) c.on('exit', (code) => code && stop())
