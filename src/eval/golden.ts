import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { Bot } from '../bot.js'
import { detectLang } from '../text/lang.js'

export const goldenItemSchema = z.object({
  q: z.string().min(1),
  category: z.string().min(1),
  /** Acceptable cited section ids; empty means the bot must abstain (for Q&A items). */
  sections: z.array(z.string()).default([]),
  /** Substrings a correct answer must contain. */
  facts: z.array(z.string()).default([]),
  /** Substrings a correct answer must not contain. */
  absent: z.array(z.string()).default([]),
  /** Earlier turns of the same user, sent before q (multi-turn items). */
  before: z.array(z.string()).default([]),
})
export type GoldenItem = z.infer<typeof goldenItemSchema>

export interface GoldenResult {
  item: GoldenItem
  answer: string
  cited: string[]
  ok: boolean
  why?: string
  /** Time to answer the question itself (earlier turns not counted), in milliseconds. */
  ms: number
}

/*
 * The golden set in two parts, by a fixed hash of each item: about three in four are for tuning (look at their
 * failures, change the understanding code), the fourth is held out — its failures are not read while tuning, so
 * its accuracy says how the bot does on wording it was not fitted to. The seed never changes.
 */
const SPLIT_SEED = 0x20261207

/** Which part an item is in: "tune" or "holdout". */
export function splitOf(item: GoldenItem): 'tune' | 'holdout' {
  const key = `${item.category}|${item.before.join('|')}|${item.q}`
  let h = SPLIT_SEED
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return (h >>> 0) % 4 === 0 ? 'holdout' : 'tune'
}

/** Every *.json under the golden directory, concatenated. */
export function loadGolden(dir: string): GoldenItem[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => loadGoldenFile(join(dir, f)))
}

/** One golden file, validated. */
export function loadGoldenFile(path: string): GoldenItem[] {
  return z.array(goldenItemSchema).parse(JSON.parse(readFileSync(path, 'utf8')))
}

const CITATION = /来源：《[^》]*》(.+)/g

/** Section ids cited in an answer, read back from its "来源：" lines. */
export function citedSections(bot: Bot, answer: string): string[] {
  const byTitle = new Map([...bot.knowledge.sections.values()].map((s) => [s.title, s.id]))
  // One line may cite several sections of the brief: "来源：《…》标题一；标题二".
  return [...answer.matchAll(CITATION)].flatMap((m) => m[1]!.split('；').map((t) => byTitle.get(t.trim()) ?? `?${t}`))
}

/** Ask each golden question as a new user and judge the answer by its citations and facts. */
export async function runGolden(bot: Bot, items: GoldenItem[], users = 'golden'): Promise<GoldenResult[]> {
  const results: GoldenResult[] = []
  let n = 0
  for (const item of items) {
    // Users of another run on the same bot (`users`) never meet these: each item starts a conversation of its own.
    const userId = `${users}-${n++}`
    for (const t of item.before) await bot.engine.handle({ channel: 'cli', userId, text: t })
    const started = performance.now()
    const replies = await bot.engine.handle({ channel: 'cli', userId, text: item.q })
    const ms = performance.now() - started
    const answer = replies.map((r) => r.text).join('\n')
    const cited = citedSections(bot, answer)
    results.push({ item, answer, cited, ms, ...judge(item, answer, cited) })
  }
  return results
}

const ABSTAINED = /没有找到确切答案|could not find this in the policy brief/

function judge(item: GoldenItem, answer: string, cited: string[]): { ok: boolean; why?: string } {
  if (item.category === 'abstain') {
    return /没有找到确切答案|could not find this in the policy brief/.test(answer) ? { ok: true } : { ok: false, why: 'should abstain' }
  }
  if (item.sections.length && !cited.some((id) => item.sections.includes(id))) {
    return { ok: false, why: `cited [${cited.join(', ')}], want one of [${item.sections.join(', ')}]` }
  }
  // An answer with an apology in it ("没有找到确切答案") beside the facts asked for: a part of the message was misread
  // as a question of its own. Only where the item does not expect the apology itself.
  if (ABSTAINED.test(answer) && !item.category.includes('abstain') && !item.facts.some((f) => ABSTAINED.test(f))) return { ok: false, why: 'apologised for a part it should have read' }
  const missing = item.facts.filter((f) => !answer.includes(f))
  if (missing.length) return { ok: false, why: `missing ${missing.join(' / ')}` }
  const wrong = item.absent.filter((f) => answer.includes(f))
  if (wrong.length) return { ok: false, why: `should not say ${wrong.join(' / ')}` }
  return { ok: true }
}

type Tally = Map<string, { ok: number; total: number }>

/** The kinds that cut across categories: questions asked in English, and follow-ups in a conversation. */
export function kindsOf(item: GoldenItem): string[] {
  const kinds: string[] = []
  if (detectLang(item.q) === 'en') kinds.push('english')
  if (item.before.length) kinds.push('multi-turn')
  return kinds
}

/** Accuracy overall, by category, and by kind (English, multi-turn). */
export function summarize(results: GoldenResult[]): { accuracy: number; byCategory: Tally; byKind: Tally } {
  const byCategory: Tally = new Map()
  const byKind: Tally = new Map()
  const count = (tally: Tally, key: string, ok: boolean) => {
    const c = tally.get(key) ?? { ok: 0, total: 0 }
    c.total++
    if (ok) c.ok++
    tally.set(key, c)
  }
  for (const r of results) {
    count(byCategory, r.item.category, r.ok)
    for (const kind of kindsOf(r.item)) count(byKind, kind, r.ok)
  }
  const ok = results.filter((r) => r.ok).length
  return { accuracy: results.length ? ok / results.length : 0, byCategory, byKind }
}

/** The p-th percentile (0–100) of the answer times, nearest rank. */
export function percentile(results: readonly GoldenResult[], p: number): number {
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b)
  if (!sorted.length) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}
