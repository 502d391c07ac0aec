import { loadConfig } from '../config.js'
import { buildNodeBot } from '../deps.js'
import { loadGolden, runGolden, summarize } from '../eval/golden.js'
import { createMemoryStore } from '../store/memory-store.js'

/** npm run eval: accuracy of the bot on the golden set, by category, and every failure. */
// A fresh in-memory store: the eval's users must start with no history.
const bot = await buildNodeBot(loadConfig({ ...process.env, LOG_LEVEL: 'silent', REDIS_URL: '' }), {
  store: createMemoryStore({ sessionTtlSeconds: 3600 }),
})
const results = await runGolden(bot, loadGolden(process.argv[2] ?? 'test/golden'))
const { accuracy, byCategory, byKind } = summarize(results)

const row = (name: string, c: { ok: number; total: number }) =>
  console.log(name.padEnd(20), `${c.ok}/${c.total}`.padStart(8), `${((100 * c.ok) / c.total).toFixed(0)}%`.padStart(8))
console.log('category'.padEnd(20), 'ok/total', 'accuracy')
for (const [cat, c] of [...byCategory].sort()) row(cat, c)
console.log('\nacross categories')
for (const [kind, c] of [...byKind].sort()) row(kind, c)
console.log(`\noverall: ${results.filter((r) => r.ok).length}/${results.length} = ${(100 * accuracy).toFixed(1)}%`)
const failures = results.filter((r) => !r.ok)
if (failures.length) {
  console.log('\nfailures:')
  for (const f of failures) console.log(`- [${f.item.category}] ${f.item.q}\n  ${f.why}\n  answer: ${f.answer.split('\n')[0]?.slice(0, 80)}`)
}
await bot.store.close()
