import { loadConfig } from '../config.js'
import { buildNodeBot } from '../deps.js'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { loadGolden, loadGoldenFile, percentile, runGolden, splitOf, summarize, type GoldenResult } from '../eval/golden.js'
import { runMetamorphic } from '../eval/metamorphic.js'
import { createMemoryStore } from '../store/memory-store.js'

/**
 * npm run eval: accuracy of the bot on the golden set, by category and by part (tuning / held out), the failures of
 * the tuning part, the blind fresh set, and the metamorphic rates (the same verdict in other wordings).
 * npm run eval -- --all: the held-out and fresh failures listed too.
 * npm run eval -- --model: the same golden set through the configured model too, side by side with the embedded
 * mode (accuracy, guard rejections, fallbacks, p50/p95 latency). Without OPENAI_API_KEY it says why and exits 0.
 */
const args = process.argv.slice(2)
const withModel = args.includes('--model')
// --all: also list the failures of the held-out part and of the fresh set (for judging a release, not for tuning).
const showHoldout = args.includes('--all')
const FRESH = 'test/golden-fresh'
const dir = args.find((a) => !a.startsWith('--')) ?? 'test/golden'
const env = { ...process.env, LOG_LEVEL: 'silent', REDIS_URL: '' }

if (withModel && !loadConfig(env).OPENAI_API_KEY) {
  console.log(
    'model mode: not evaluated, because OPENAI_API_KEY is not set, so there is no model to ask.\n' +
      'Set OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL for DeepSeek, Qwen or a local server) and run `npm run eval -- --model` again.',
  )
  process.exit(0)
}

// A fresh in-memory store per mode: the eval's users must start with no history (and the model with no cache).
const fresh = () => ({ store: createMemoryStore({ sessionTtlSeconds: 3600 }) })
// The embedded column is always the embedded mode, whatever the environment says about a model.
const embedded = await buildNodeBot(loadConfig({ ...env, OPENAI_API_KEY: '' }), fresh())
const items = loadGolden(dir)
const results = await runGolden(embedded, items)
const { accuracy, byCategory, byKind } = summarize(results)

const pct = (c: { ok: number; total: number }) => `${((100 * c.ok) / c.total).toFixed(0)}%`
const row = (name: string, c: { ok: number; total: number }) => console.log(name.padEnd(20), `${c.ok}/${c.total}`.padStart(8), pct(c).padStart(8))
const failuresOf = (rs: GoldenResult[]) => {
  const failures = rs.filter((r) => !r.ok)
  if (!failures.length) return
  console.log('\nfailures:')
  for (const f of failures) console.log(`- [${f.item.category}] ${f.item.q}\n  ${f.why}\n  answer: ${f.answer.split('\n')[0]?.slice(0, 80)}`)
}

if (!withModel) {
  console.log('category'.padEnd(20), 'ok/total', 'accuracy')
  for (const [cat, c] of [...byCategory].sort()) row(cat, c)
  console.log('\nacross categories')
  for (const [kind, c] of [...byKind].sort()) row(kind, c)
  const part = (p: 'tune' | 'holdout') => {
    const rs = results.filter((r) => splitOf(r.item) === p)
    return { ok: rs.filter((r) => r.ok).length, total: rs.length }
  }
  console.log('\nparts of the golden set (fixed split)')
  row('tune', part('tune'))
  row('holdout (untuned)', part('holdout'))
  console.log(`\noverall: ${results.filter((r) => r.ok).length}/${results.length} = ${(100 * accuracy).toFixed(1)}%`)
  // How long the answers are on a phone: characters before the source line (the loss report's summary included).
  const lengths = results.map((r) => [...r.answer.split('\n').filter((l) => !l.startsWith('来源：')).join('')].length).sort((a, b) => a - b)
  const at = (p: number) => lengths[Math.min(lengths.length - 1, Math.floor(p * lengths.length))]
  console.log(`answer length (characters, without the source line): p50 ${at(0.5)}, p90 ${at(0.9)}, over 300: ${lengths.filter((n) => n > 300).length}/${lengths.length}`)
  // Failures of the tuning part only: the held-out part's are counted, not shown (read them only to judge a release).
  failuresOf(showHoldout ? results : results.filter((r) => splitOf(r.item) === 'tune'))

  // Written blind (no one tuned on it): its own line, never merged with the rest.
  if (existsSync(FRESH)) {
    // Each file is a set written blind at one time: once its failures have been read, the next file is the blind one.
    console.log(`\nfresh sets (${FRESH}, written blind by someone who had not seen the code)`)
    for (const file of readdirSync(FRESH).filter((f) => f.endsWith('.json')).sort()) {
      const fresh = await runGolden(embedded, loadGoldenFile(join(FRESH, file)), `fresh-${file}`)
      row(file.replace(/\.json$/, ''), { ok: fresh.filter((r) => r.ok).length, total: fresh.length })
      if (showHoldout) failuresOf(fresh)
    }
  }

  // The same verdicts asked in other words: the rate per kind of rewording.
  const meta = await runMetamorphic(embedded)
  console.log('\nmetamorphic: the verdict must not change when the wording does')
  for (const [name, c] of meta.rates) row(name, c)
  for (const f of meta.failures) console.log(`- [${f.transform}] ${f.base}: ${f.asked}\n  want ${f.expect}; answer: ${f.answer.split('\n')[0]?.slice(0, 80)}`)
} else {
  const config = loadConfig(env)
  const modelBot = await buildNodeBot(config, fresh())
  const modelResults = await runGolden(modelBot, items)
  const m = summarize(modelResults)
  const stats = modelBot.model!.stats()
  const both = (name: string, a?: { ok: number; total: number }, b?: { ok: number; total: number }) =>
    console.log(name.padEnd(20), (a ? `${a.ok}/${a.total} ${pct(a)}` : '').padStart(14), (b ? `${b.ok}/${b.total} ${pct(b)}` : '').padStart(14))
  console.log(`model: ${config.OPENAI_MODEL} at ${config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'}, deadline ${config.OPENAI_TIMEOUT_MS} ms\n`)
  console.log('category'.padEnd(20), 'embedded'.padStart(14), 'model'.padStart(14))
  for (const cat of [...new Set([...byCategory.keys(), ...m.byCategory.keys()])].sort()) both(cat, byCategory.get(cat), m.byCategory.get(cat))
  for (const kind of [...new Set([...byKind.keys(), ...m.byKind.keys()])].sort()) both(kind, byKind.get(kind), m.byKind.get(kind))
  const ok = (rs: GoldenResult[]) => ({ ok: rs.filter((r) => r.ok).length, total: rs.length })
  both('overall', ok(results), ok(modelResults))
  const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`
  console.log('latency p50'.padEnd(20), ms(percentile(results, 50)).padStart(14), ms(percentile(modelResults, 50)).padStart(14))
  console.log('latency p95'.padEnd(20), ms(percentile(results, 95)).padStart(14), ms(percentile(modelResults, 95)).padStart(14))
  const fallbacks = Object.entries(stats.fallbacks).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'
  console.log(
    `\nmodel turns: ${stats.requests}, provider calls: ${stats.calls}, answered by the model: ${stats.answered} (cache hits ${stats.cacheHits}), declined: ${stats.declined}`,
  )
  console.log(`guard rejections: ${stats.guardRejections} (repaired ${stats.repaired}); embedded answer instead: ${fallbacks}`)
  console.log(`tokens: ${stats.inputTokens} in, ${stats.outputTokens} out`)
  failuresOf(modelResults)
  await modelBot.store.close()
}
await embedded.store.close()
