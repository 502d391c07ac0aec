import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { build } from 'esbuild'
import { Redis } from 'ioredis'
import { loadConfig } from '../config.js'
import { buildNodeBot } from '../deps.js'
import { loadGolden } from '../eval/golden.js'
import { createMemoryStore } from '../store/memory-store.js'
import { consoleUnderAttack } from './bench-console.js'
import { worstInputTiming } from './bench-worst.js'

/**
 * npm run bench [-- --store=redis|file] [--duration=10] [--connections=50]
 * 1. retrieval time per question and a whole turn per golden conversation, in process; then the worst inputs up to
 *    MAX_TEXT_LENGTH: the slowest per skill, form field and channel (/api/chat, /wechat, terminal chat);
 * 2. the staff console under attack: chat latency during login floods, the unanswered page with 600 long questions;
 * 3. server start-up time;
 * 4. autocannon against POST /wechat (plain-mode text messages from many users, unique MsgIds);
 * 5. the same load against Express + the `wechat` middleware answering a fixed string.
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
  // Warm the JIT on other text, then time each golden question once, before any cache has seen it…
  for (const sec of bot.knowledge.policy.sections) bot.retriever.retrieve(sec.body.slice(0, 40))
  const cold = questions.map((q) => {
    const s = performance.now()
    bot.retriever.retrieve(q)
    return performance.now() - s
  })
  // …and again, as repeated questions are answered (segmentation results are memoised).
  const warm: number[] = []
  for (let round = 0; round < 20; round++) {
    for (const q of questions) {
      const s = performance.now()
      bot.retriever.retrieve(q)
      warm.push(performance.now() - s)
    }
  }
  const at = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]! * 1000
  console.log(`retrieval per question, first time: median ${at(cold, 0.5).toFixed(0)} µs, p99 ${at(cold, 0.99).toFixed(0)} µs (${questions.length} questions)`)
  console.log(`retrieval per question, repeated:   median ${at(warm, 0.5).toFixed(0)} µs, p99 ${at(warm, 0.99).toFixed(0)} µs`)
  await bot.store.close()
}

async function turnTiming(): Promise<void> {
  const bot = await buildNodeBot(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }), { store: createMemoryStore({ sessionTtlSeconds: 3600 }) })
  const items = loadGolden('test/golden')
  const times: number[] = []
  // Three passes: the first sees every message for the first time, the later ones as repeated questions.
  for (let pass = 0; pass < 3; pass++) {
    for (const [i, item] of items.entries()) {
      const userId = `bench-${pass}-${i}`
      for (const t of [...item.before, item.q]) {
        const s = performance.now()
        await bot.engine.handle({ channel: 'cli', userId, text: t })
        times.push(performance.now() - s)
      }
    }
  }
  const at = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!
  console.log(`turn (engine, memory store), golden conversations: median ${at(times, 0.5).toFixed(2)} ms, p99 ${at(times, 0.99).toFixed(2)} ms, max ${at(times, 1).toFixed(2)} ms (${times.length} turns)`)
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

let pools = 0

/** Signed plain-mode requests, built before the run so the load generator spends no time hashing. */
function requestPool(n: number): Array<{ path: string; body: string }> {
  const ts = String(Math.floor(Date.now() / 1000))
  // Unique per request and per run, as a string: a 19-digit MsgId does not fit a JS number.
  const run = `${Date.now()}${++pools}`
  const pool: Array<{ path: string; body: string }> = []
  for (let i = 0; i < n; i++) {
    // One signed URL carries one message: a nonce is never reused for another message, across pools either.
    const nonce = `n${run}-${i}`
    const signature = createHash('sha1').update([TOKEN, ts, nonce].sort().join('')).digest('hex')
    const user = `o-bench-${i % 2000}`
    const body = `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${questions[i % questions.length]}]]></Content><MsgId>${run}${String(i).padStart(7, '0')}</MsgId></xml>`
    pool.push({ path: `/wechat?signature=${signature}&timestamp=${ts}&nonce=${nonce}&openid=${user}`, body })
  }
  return pool
}

/** Bundle an entry the way `npm start` does, so both servers run plain JavaScript with the same flags. */
async function bundle(entry: string): Promise<string> {
  // Inside the project, so the external packages resolve from its node_modules.
  const outfile = join('dist', 'bench', `${entry.replace(/\W/g, '_')}.mjs`)
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'warning' })
  return outfile
}

function spawnServer(script: string, env: Record<string, string>, port: number): { proc: ChildProcess; ready: Promise<number> } {
  const started = performance.now()
  // Both servers get the flags npm start uses, so the comparison is like for like.
  const proc = spawn(process.execPath, ['--max-semi-space-size=32', script], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] })
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

async function load(port: number, pid: number | undefined, pool: Array<{ path: string; body: string }>, seconds: number): Promise<Omit<Row, 'name'>> {
  let i = 0
  const next = () => pool[i++ % pool.length]!
  const cpu0 = cpuSeconds(pid)
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        setupRequest: (req) => {
          const x = next()
          return { ...req, path: x.path, body: x.body }
        },
      },
    ],
  })
  const cpuUsPerMsg = ((cpuSeconds(pid) - cpu0) * 1e6) / Math.max(1, r.requests.total)
  return { cpuUsPerMsg, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts, rss: rssMb(pid) }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

await retrievalTiming()
await turnTiming()
await worstInputTiming()
if (process.argv.includes('--in-process')) process.exit(0)
await consoleUnderAttack()
const store = await storeChoice()
const rounds = Number(arg('rounds', '3'))
const ourPort = 3800 + Math.floor(Math.random() * 90)
const peerPort = ourPort + 100
const ours = spawnServer(
  await bundle('src/main.ts'),
  {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    WECHAT_TOKEN: TOKEN,
    WECHAT_APP_SECRET: '',
    REDIS_URL: store === 'redis' ? redisUrl : '',
    REDIS_KEY_PREFIX: `tbbench:${Date.now()}:`,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tongbao-bench-')),
  },
  ourPort,
)
console.log(`server start to /healthz 200: ${(await ours.ready).toFixed(0)} ms (store: ${store})`)
const peer = spawnServer(await bundle('src/cli/bench-peer.ts'), { WECHAT_TOKEN: TOKEN }, peerPort)
const servers = [
  { name: `tongbao /wechat (${store} store, real answers)`, port: ourPort, proc: ours.proc, runs: [] as Array<Omit<Row, 'name'>> },
  { name: 'express + wechat middleware (fixed string)', port: peerPort, proc: peer.proc, runs: [] as Array<Omit<Row, 'name'>> },
]
try {
  await peer.ready
  // The machine is shared with the load generator and Redis: alternate the two servers and take medians.
  for (const s of servers) await load(s.port, s.proc.pid, requestPool(30_000), 5) // warm-up: JIT, connections
  for (let r = 0; r < rounds; r++) {
    for (const s of servers) {
      const res = await load(s.port, s.proc.pid, requestPool(Math.max(50_000, duration * 12_000)), duration)
      s.runs.push(res)
      console.log(`round ${r + 1}: ${s.name}: ${res.rps.toFixed(0)} msgs/s, p99 ${res.p99} ms`)
    }
  }
} finally {
  ours.proc.kill('SIGTERM')
  peer.proc.kill('SIGTERM')
}

console.log(`\n${connections} connections, ${duration} s x ${rounds} rounds (medians), plain-mode text messages from 2000 users`)
console.log('server'.padEnd(48), 'msgs/s'.padStart(8), 'p50 ms'.padStart(7), 'p99 ms'.padStart(7), 'errors'.padStart(7), 'RSS'.padStart(8), 'CPU µs/msg'.padStart(11))
for (const s of servers) {
  const m = (f: (r: Omit<Row, 'name'>) => number) => median(s.runs.map(f))
  console.log(
    s.name.padEnd(48),
    m((r) => r.rps).toFixed(0).padStart(8),
    String(m((r) => r.p50)).padStart(7),
    String(m((r) => r.p99)).padStart(7),
    String(s.runs.reduce((a, r) => a + r.errors, 0)).padStart(7),
    s.runs.at(-1)!.rss.padStart(8),
    m((r) => r.cpuUsPerMsg).toFixed(0).padStart(11),
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
