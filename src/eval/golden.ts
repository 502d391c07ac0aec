import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { Bot } from '../bot.js'

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
}

/** Every *.json under the golden directory, concatenated. */
export function loadGolden(dir: string): GoldenItem[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => z.array(goldenItemSchema).parse(JSON.parse(readFileSync(join(dir, f), 'utf8'))))
}

const CITATION = /来源：《[^》]*》(.+)/g

/** Section ids cited in an answer, read back from its "来源：" lines. */
export function citedSections(bot: Bot, answer: string): string[] {
  const byTitle = new Map([...bot.knowledge.sections.values()].map((s) => [s.title, s.id]))
  return [...answer.matchAll(CITATION)].map((m) => byTitle.get(m[1]!.trim()) ?? `?${m[1]}`)
}

/** Ask each golden question as a new user and judge the answer by its citations and facts. */
export async function runGolden(bot: Bot, items: GoldenItem[]): Promise<GoldenResult[]> {
  const results: GoldenResult[] = []
  let n = 0
  for (const item of items) {
    const userId = `golden-${n++}`
    for (const t of item.before) await bot.engine.handle({ channel: 'cli', userId, text: t })
    const replies = await bot.engine.handle({ channel: 'cli', userId, text: item.q })
    const answer = replies.map((r) => r.text).join('\n')
    const cited = citedSections(bot, answer)
    results.push({ item, answer, cited, ...judge(item, answer, cited) })
  }
  return results
}

function judge(item: GoldenItem, answer: string, cited: string[]): { ok: boolean; why?: string } {
  if (item.category === 'abstain') {
    return answer.includes('没有找到确切答案') ? { ok: true } : { ok: false, why: 'should abstain' }
  }
  if (item.sections.length && !cited.some((id) => item.sections.includes(id))) {
    return { ok: false, why: `cited [${cited.join(', ')}], want one of [${item.sections.join(', ')}]` }
  }
  const missing = item.facts.filter((f) => !answer.includes(f))
  if (missing.length) return { ok: false, why: `missing ${missing.join(' / ')}` }
  const wrong = item.absent.filter((f) => answer.includes(f))
  if (wrong.length) return { ok: false, why: `should not say ${wrong.join(' / ')}` }
  return { ok: true }
}

/** Accuracy overall and by category. */
export function summarize(results: GoldenResult[]): { accuracy: number; byCategory: Map<string, { ok: number; total: number }> } {
  const byCategory = new Map<string, { ok: number; total: number }>()
  for (const r of results) {
    const c = byCategory.get(r.item.category) ?? { ok: 0, total: 0 }
    c.total++
    if (r.ok) c.ok++
    byCategory.set(r.item.category, c)
  }
  const ok = results.filter((r) => r.ok).length
  return { accuracy: results.length ? ok / results.length : 0, byCategory }
}
