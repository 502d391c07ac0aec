import { describe, expect, it } from 'vitest'
import { loadGolden, runGolden, summarize } from '../src/eval/golden.js'
import { testBot } from './helpers/bot.js'

// The floor only moves up: a change to knowledge or retrieval must not lower accuracy.
const MIN_ACCURACY = 0.95

describe('golden set', () => {
  it(`answers at least ${MIN_ACCURACY * 100}% of the golden questions right, and abstains on every off-topic one`, async () => {
    const items = loadGolden('test/golden')
    expect(items.length).toBeGreaterThanOrEqual(40)
    const results = await runGolden(testBot(), items)
    const { accuracy } = summarize(results)
    const failures = results.filter((r) => !r.ok).map((r) => `${r.item.q}: ${r.why}`)
    expect(accuracy, failures.join('\n')).toBeGreaterThanOrEqual(MIN_ACCURACY)
    expect(results.filter((r) => r.item.category === 'abstain' && !r.ok).map((r) => r.item.q)).toEqual([])
  })
})
