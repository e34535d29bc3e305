/**
 * Builds the production weapp output once for every weapp test file, as `npm start` builds it for WeChat
 * DevTools. Skipped with WEAPP_SKIP_BUILD=1 (reuse client/dist/weapp).
 */
import { execFileSync } from 'node:child_process'
import { clientDir } from './wechat-compilers'

export default function setup(): void {
  if (process.env.WEAPP_SKIP_BUILD === '1') return
  const started = Date.now()
  try {
    // Through the same script, under the documented default NODE_ENV (development): the script makes
    // the production build whatever the environment says.
    execFileSync('npm', ['run', 'build:weapp'], {
      cwd: clientDir,
      env: { ...process.env, NODE_ENV: 'development' },
      stdio: 'pipe',
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (error) {
    const failed = error as { stdout?: Buffer; stderr?: Buffer }
    throw new Error(`weapp build failed:\n${failed.stdout?.toString() ?? ''}${failed.stderr?.toString() ?? ''}`)
  }
  console.log(`weapp production build: ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
