import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A private redis-server on the given port, so a test can stop and restart it (outages) without touching the shared one.
 * `configFile` (read first, as redis-server wants it) and `args` (e.g. ['--maxmemory-policy', 'allkeys-lru']) set it up.
 */
export function privateRedis(port: number, o: { configFile?: string; args?: string[] } = {}) {
  let proc: ChildProcess | undefined
  // A folder of its own: no dump.rdb of another test's server is ever loaded at a (re)start.
  const dir = mkdtempSync(join(tmpdir(), 'tongbao-redis-'))
  return {
    url: `redis://127.0.0.1:${port}/0`,
    async start(): Promise<void> {
      const args = [...(o.configFile ? [o.configFile] : []), '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...(o.args ?? [])]
      const p = spawn('redis-server', args, {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      await new Promise<void>((resolve, reject) => {
        p.stdout!.on('data', (d) => {
          out += d
          if (out.includes('Ready to accept connections')) resolve()
        })
        p.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)))
        p.on('error', reject)
      })
      proc = p
    },
    async stop(): Promise<void> {
      const p = proc
      proc = undefined
      if (!p || p.exitCode !== null) return
      const exited = new Promise((resolve) => p.on('exit', resolve))
      p.kill('SIGTERM')
      await exited
    },
  }
}
