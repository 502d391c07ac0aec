import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { Redis } from 'ioredis'
import { loadConfig } from '../config.js'
import { buildNodeBot } from '../deps.js'
import { loadGolden } from '../eval/golden.js'
import { createMemoryStore } from '../store/memory-store.js'

/**
 * npm run bench [-- --store=redis|file] [--duration=10] [--connections=50]
 * 1. retrieval time per question, in process;
 * 2. server start-up time;
 * 3. autocannon against POST /wechat (plain-mode text messages from many users, unique MsgIds);
 * 4. the same load against Express + the `wechat` middleware answering a fixed string.
 */
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const duration = Number(arg('duration', '10'))
const connections = Number(arg('connections', '50'))
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379/14'
const TOKEN = 'bench-token'

const questions = loadGolden('test/golden').map((g) => g.q)

async function retrievalTiming(): Promise<void> {
  const t0 = performance.now()
  const bot = await buildNodeBot(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }), { store: createMemoryStore({ sessionTtlSeconds: 3600 }) })
  console.log(`bot build (knowledge + jieba + index): ${(performance.now() - t0).toFixed(0)} ms`)
  for (const q of questions) bot.retriever.retrieve(q)
  const times: number[] = []
  for (let round = 0; round < 20; round++) {
    for (const q of questions) {
      const s = performance.now()
      bot.retriever.retrieve(q)
      times.push(performance.now() - s)
    }
  }
  times.sort((a, b) => a - b)
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]! * 1000
  console.log(`retrieval, ${questions.length} questions x20: median ${at(0.5).toFixed(0)} µs, p99 ${at(0.99).toFixed(0)} µs`)
  await bot.store.close()
}

async function storeChoice(): Promise<'redis' | 'file'> {
  const wanted = arg('store', 'redis')
  if (wanted !== 'redis') return 'file'
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  try {
    await probe.connect()
    await probe.ping()
    return 'redis'
  } catch {
    console.log(`Redis at ${redisUrl} is not reachable: benchmarking the embedded file store instead`)
    return 'file'
  } finally {
    probe.disconnect()
  }
}

/** Signed plain-mode requests, built before the run so the load generator spends no time hashing. */
function requestPool(n: number): Array<{ path: string; body: string }> {
  const ts = String(Math.floor(Date.now() / 1000))
  const pool: Array<{ path: string; body: string }> = []
  for (let i = 0; i < n; i++) {
    const nonce = `n${i}`
    const signature = createHash('sha1').update([TOKEN, ts, nonce].sort().join('')).digest('hex')
    const user = `o-bench-${i % 2000}`
    const body = `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${questions[i % questions.length]}]]></Content><MsgId>${9_000_000_000_000_000 + Date.now() * 10 + i}</MsgId></xml>`
    pool.push({ path: `/wechat?signature=${signature}&timestamp=${ts}&nonce=${nonce}&openid=${user}`, body })
  }
  return pool
}

function spawnServer(args: string[], env: Record<string, string>, port: number): { proc: ChildProcess; ready: Promise<number> } {
  const started = performance.now()
  // Both servers get the flags npm start uses, so the comparison is like for like.
  const proc = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', ...args], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] })
  const ready = (async () => {
    // Any HTTP answer means it is listening; /healthz answers 200 once the bot is loaded.
    for (let i = 0; i < 400; i++) {
      if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`)
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false)
      if (ok) return performance.now() - started
      await new Promise((r) => setTimeout(r, 10))
    }
    throw new Error('server did not start')
  })()
  return { proc, ready }
}

function rssMb(pid: number | undefined): string {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
    return `${(kb / 1024).toFixed(0)} MB`
  } catch {
    return 'n/a'
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return NaN
  }
}

interface Row {
  name: string
  cpuUsPerMsg: number
  rps: number
  p50: number
  p99: number
  errors: number
  rss: string
}

async function load(name: string, port: number, pid: number | undefined, pool: Array<{ path: string; body: string }>): Promise<Row> {
  let i = 0
  const next = () => pool[i++ % pool.length]!
  const run = (seconds: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'text/xml' },
          setupRequest: (req) => {
            const r = next()
            return { ...req, path: r.path, body: r.body }
          },
        },
      ],
    })
  await run(5) // warm-up: JIT, connection pools, first Redis round trips
  const cpu0 = cpuSeconds(pid)
  const r = await run(duration)
  const cpuUsPerMsg = ((cpuSeconds(pid) - cpu0) * 1e6) / Math.max(1, r.requests.total)
  return { name, cpuUsPerMsg, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts, rss: rssMb(pid) }
}

await retrievalTiming()
const store = await storeChoice()
const pool = requestPool(Math.max(50_000, duration * 12_000))
const rows: Row[] = []

const ourPort = 3800 + Math.floor(Math.random() * 90)
const ours = spawnServer(['src/main.ts'], {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  WECHAT_TOKEN: TOKEN,
  WECHAT_APP_SECRET: '',
  REDIS_URL: store === 'redis' ? redisUrl : '',
  REDIS_KEY_PREFIX: `tbbench:${Date.now()}:`,
  DATA_DIR: mkdtempSync(join(tmpdir(), 'tongbao-bench-')),
}, ourPort)
try {
  console.log(`server ready in ${(await ours.ready).toFixed(0)} ms (store: ${store})`)
  rows.push(await load(`tongbao /wechat (${store} store, real answers)`, ourPort, ours.proc.pid, pool))
} finally {
  ours.proc.kill('SIGTERM')
}

const peerPort = ourPort + 100
const peer = spawnServer(['src/cli/bench-peer.ts'], { WECHAT_TOKEN: TOKEN }, peerPort)
try {
  await peer.ready
  rows.push(await load('express + wechat middleware (fixed string)', peerPort, peer.proc.pid, pool))
} finally {
  peer.proc.kill('SIGTERM')
}

console.log(`\n${connections} connections, ${duration} s, plain-mode text messages from 2000 users`)
console.log('server'.padEnd(48), 'msgs/s'.padStart(8), 'p50 ms'.padStart(7), 'p99 ms'.padStart(7), 'errors'.padStart(7), 'RSS'.padStart(8), 'CPU µs/msg'.padStart(11))
for (const r of rows) {
  console.log(
    r.name.padEnd(48),
    r.rps.toFixed(0).padStart(8),
    String(r.p50).padStart(7),
    String(r.p99).padStart(7),
    String(r.errors).padStart(7),
    r.rss.padStart(8),
    r.cpuUsPerMsg.toFixed(0).padStart(11),
  )
}
console.log('(CPU µs/msg: the server process only; the load generator and Redis share the same machine.)')
if (store === 'redis') {
  // Leave nothing behind in the shared Redis.
  const redis = new Redis(redisUrl)
  const keys = await redis.keys('tbbench:*')
  for (let k = 0; k < keys.length; k += 500) await redis.del(...keys.slice(k, k + 500))
  redis.disconnect()
}
