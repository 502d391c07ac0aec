import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { configSchema } from '../config.js'

/**
 * npm run worker:dev: the Worker under `wrangler dev --local` on PORT (default 8787), no network, with the same
 * environment variables as `npm start`. wrangler passes a Worker only what it is given as vars, so the settings
 * of src/config.ts found in the environment are handed over in an env file (mode 600, removed on exit; not on the
 * command line, where `ps` would show the secrets). Local Durable Object data is kept in DATA_DIR/workers.
 * Extra arguments go to wrangler (e.g. `npm run worker:dev -- --log-level debug`).
 */
const NODE_ONLY = new Set(['PORT', 'HOST', 'DATA_DIR', 'KNOWLEDGE_DIR', 'PROMPTS_DIR'])
const port = process.env.PORT || '8787'
const host = process.env.HOST && process.env.HOST !== '0.0.0.0' ? process.env.HOST : '127.0.0.1'
const dataDir = resolve(process.env.DATA_DIR || './data', 'workers')

const lines: string[] = []
for (const name of Object.keys(configSchema.shape)) {
  const value = process.env[name]
  if (value === undefined || NODE_ONLY.has(name)) continue
  if (/[\r\n']/.test(value)) {
    console.error(`${name}: a value with a line break or a single quote cannot be passed to wrangler dev`)
    process.exit(1)
  }
  // wrangler expands $NAME and ${NAME} in env files, quoted or not; \$ is a literal $ (a scrypt hash is full of them).
  lines.push(`${name}='${value.replace(/\$/g, '\\$')}'`)
}
const dir = mkdtempSync(join(tmpdir(), 'tongbao-worker-dev-'))
const envFile = join(dir, 'vars.env')
writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 })
const cleanup = () => rmSync(dir, { recursive: true, force: true })

const args = ['dev', '--local', '--ip', host, '--port', port, '--persist-to', dataDir, '--env-file', envFile, '--show-interactive-dev-session=false', ...process.argv.slice(2)]
const child = spawn('wrangler', args, {
  stdio: 'inherit',
  // No network: the Request.cf lookup and telemetry stay off (the npm update check may still try the registry).
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => {
  cleanup()
  process.exit(code ?? (signal ? 1 : 0))
})
