/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest'
import { createBot } from '../src/bot.js'
import { goldenItemSchema, runGolden, summarize, type GoldenItem } from '../src/eval/golden.js'
import { segmenterWords } from '../src/knowledge/knowledge.js'
import { createIntlSegmenter } from '../src/rag/intl-segmenter.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { realKnowledge, silentLogger } from './helpers/bot.js'

// The segmenter the Worker uses (Intl.Segmenter + the domain dictionary) on the whole golden set, with the gate of
// test/eval.test.ts. This file runs in both vitest projects: on Node (knowledge read from knowledge/) and inside
// workerd (the bundled knowledge, ICU of workerd), so the gate holds on both runtimes.
const MIN_ACCURACY = 0.95

const files = import.meta.glob<{ default: unknown }>('./golden/*.json', { eager: true })
const items: GoldenItem[] = Object.keys(files)
  .sort()
  .flatMap((f) => goldenItemSchema.array().parse(files[f]!.default))

describe('golden set with the Intl segmenter (the Workers runtime)', () => {
  it(`answers at least ${MIN_ACCURACY * 100}% of the golden questions right, and abstains on every off-topic one`, async () => {
    expect(items.length).toBeGreaterThanOrEqual(400)
    const { knowledge } = realKnowledge()
    const segmenter = createIntlSegmenter(segmenterWords(knowledge))
    const bot = createBot({ knowledge, segmenter, store: createMemoryStore({ sessionTtlSeconds: 3600 }), logger: silentLogger })
    const results = await runGolden(bot, items)
    const failures = results.filter((r) => !r.ok).map((r) => `${r.item.q}: ${r.why}`)
    expect(summarize(results).accuracy, failures.join('\n')).toBeGreaterThanOrEqual(MIN_ACCURACY)
    expect(results.filter((r) => r.item.category === 'abstain' && !r.ok).map((r) => r.item.q)).toEqual([])
    console.log(`Intl segmenter on the golden set: ${results.length - failures.length}/${results.length}${failures.length ? `\n${failures.join('\n')}` : ''}`)
  })
})
