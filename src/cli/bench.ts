import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { loadConfig } from '../config.js'
import { buildNodeBot } from '../deps.js'
import { loadGolden } from '../eval/golden.js'
import { createMemoryStore } from '../store/memory-store.js'

/**
 * npm run bench: retrieval time per question, server start-up time, and HTTP load on /api/chat.
 * Pass --no-http to skip the load test.
 */
const withHttp = !process.argv.includes('--no-http')

const t0 = performance.now()
const bot = await buildNodeBot(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }), { store: createMemoryStore({ sessionTtlSeconds: 3600 }) })
console.log(`bot build (knowledge + jieba + index): ${(performance.now() - t0).toFixed(0)} ms`)

const questions = loadGolden('test/golden').map((g) => g.q)
for (const q of questions) bot.retriever.retrieve(q) // warm up
const times: number[] = []
for (let round = 0; round < 20; round++) {
  for (const q of questions) {
    const s = performance.now()
    bot.retriever.retrieve(q)
    times.push(performance.now() - s)
  }
}
times.sort((a, b) => a - b)
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!
console.log(`retrieval over ${questions.length} questions x20: median ${(pct(0.5) * 1000).toFixed(0)} µs, p99 ${(pct(0.99) * 1000).toFixed(0)} µs`)
await bot.store.close()

if (withHttp) {
  const port = 3900 + Math.floor(Math.random() * 90)
  const started = performance.now()
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  try {
    await waitForHealth(port)
    console.log(`server start to /healthz 200: ${(performance.now() - started).toFixed(0)} ms`)
    const { default: autocannon } = await import('autocannon')
    let i = 0
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/api/chat`,
      connections: 50,
      duration: 10,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ userId: `bench-${i % 500}`, text: questions[i++ % questions.length] }),
          }),
        },
      ],
    })
    console.log(`POST /api/chat, 50 connections, 10 s: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors + result.non2xx}`)
    console.log(`server memory after load: ${serverRssMb(server.pid)}`)
  } finally {
    server.kill('SIGTERM')
  }
}

/** Resident memory of the server process, read from /proc (Linux). */
function serverRssMb(pid: number | undefined): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1])
    return `${(kb / 1024).toFixed(0)} MB RSS`
  } catch {
    return 'unknown (no /proc)'
  }
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('server did not become healthy')
}
