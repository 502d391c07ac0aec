import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

export interface RunningServer {
  url: string
  proc: ChildProcess
  output: () => string
  stop(): Promise<void>
}

/** Start the real server (src/main.ts, or a built bundle) and wait for /healthz. */
export async function startServer(env: Record<string, string> = {}, args: string[] = ['--import', 'tsx', 'src/main.ts']): Promise<RunningServer> {
  const port = await freePort()
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 15_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${out}`)
    try {
      if ((await fetch(`${url}/healthz`)).ok) break
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server not ready: ${out}`)
    await new Promise((r) => setTimeout(r, 25))
  }
  return {
    url,
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve()
        proc.once('exit', () => resolve())
        proc.kill('SIGTERM')
      }),
  }
}

/** POST /api/chat to a running server as one user; the replies joined. */
export async function sayTo(server: RunningServer, userId: string, text: string): Promise<string> {
  const res = await fetch(`${server.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, text }),
  })
  if (res.status !== 200) throw new Error(`/api/chat answered ${res.status}`)
  const body = (await res.json()) as { replies: Array<{ text: string }> }
  return body.replies.map((r) => r.text).join('\n')
}
