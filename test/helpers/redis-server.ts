import { spawn, type ChildProcess } from 'node:child_process'
import { tmpdir } from 'node:os'

/** A private redis-server on the given port, so a test can stop and restart it (outages) without touching the shared one. */
export function privateRedis(port: number) {
  let proc: ChildProcess | undefined
  return {
    url: `redis://127.0.0.1:${port}/0`,
    async start(): Promise<void> {
      const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()], {
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
