import type { WorkingFacts } from '../engine/types.js'
import { formatMoney } from '../flows/shared.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { Section } from '../knowledge/schema.js'
import { formatMonth } from '../policy/dates.js'
import { collectEvidence, type Evidence } from './guard.js'
import { scanFacts } from './facts.js'
import type { RuleResult } from './rule-results.js'

/** One block of what the model is given, with the section its answer would cite when it uses it. */
export interface SourceBlock {
  /** Section id cited when used. */
  source: string
  text: string
  evidence: Evidence
  /** Han bigrams and English words, to tell whether an answer draws on this block. */
  words: Set<string>
}

/** Names of every person the knowledge base lists: checked wherever they appear in an answer. */
export function personNames(k: Knowledge): string[] {
  return k.managers.groups.flatMap((g) => g.managers.map((m) => m.name))
}

function wordsOf(text: string): Set<string> {
  const out = new Set<string>()
  for (const run of text.match(/[\u4e00-\u9fff]+/g) ?? []) for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2))
  for (const w of text.toLowerCase().match(/[a-z]{4,}/g) ?? []) out.add(w)
  return out
}

function block(k: Knowledge, source: string, text: string): SourceBlock {
  return { source, text, evidence: collectEvidence([text], personNames(k)), words: wordsOf(text) }
}

/** The retrieved sections, numbered, each with its English lead: what the answer may say. */
export function sectionBlocks(k: Knowledge, sections: readonly Section[]): SourceBlock[] {
  return sections.map((s) => block(k, s.id, `${s.title}\n${s.body}\n英文：${s.en}`))
}

/** The consultation lines, so an answer may point to them (the claims line, the policy lines, Single Window support). */
export function contactBlocks(k: Knowledge): SourceBlock[] {
  const c = k.contacts
  return [c.policyHotlines, c.claimsHotline, c.singleWindowSupport].map((p) => block(k, p.source, `${p.label}：${p.phones.join('、')}`))
}

export function ruleBlocks(k: Knowledge, results: readonly RuleResult[]): SourceBlock[] {
  return results.map((r) => block(k, r.source, r.text))
}

/** The working facts in words, for the prompt: the user's own figures, which the answer may repeat. */
export function describeFacts(p: WorkingFacts): string {
  const lines: string[] = []
  if (p.district) lines.push(`所在区：${p.district}`)
  if (p.exports2020Usd !== undefined) lines.push(`2020年出口额：${formatMoney({ value: p.exports2020Usd, currency: 'USD', raw: '' })}`)
  for (const g of p.losses ?? []) lines.push(`${g.name ?? (g.party === 'bank' ? '开证行' : '买方')}的损失：${g.amounts.map((a) => formatMoney({ value: a.value, currency: a.currency, raw: '' })).join('、')}`)
  if (p.declared) lines.push(`报关出口时间：${formatMonth(p.declared)}`)
  if (p.lc !== undefined) lines.push(`信用证结算：${p.lc ? '是' : '否'}`)
  return lines.join('\n')
}

/** The blocks formatted for the prompt, numbered. */
export function formatBlocks(blocks: readonly SourceBlock[]): string {
  return blocks.length ? blocks.map((b, i) => `[${i + 1}] ${b.text}`).join('\n\n') : '（无）'
}

/**
 * The sections an answer actually drew on, for its source lines: a block counts when one of the answer's facts is
 * one of its facts, or when the answer shares enough of its wording. At least the best section is always cited.
 */
export function usedSources(answer: string, blocks: readonly SourceBlock[], names: readonly string[], fallback: string): string[] {
  const facts = scanFacts(answer, names)
  const words = wordsOf(answer)
  const used: string[] = []
  for (const b of blocks) {
    const shared = [...words].filter((w) => b.words.has(w)).length
    const byFact = facts.some((f) => checkOne(f.kind, f.key, b.evidence))
    if ((byFact || shared >= 6) && !used.includes(b.source)) used.push(b.source)
  }
  return used.length ? used : [fallback]
}

function checkOne(kind: string, key: string, ev: Evidence): boolean {
  switch (kind) {
    case 'url':
      return ev.urls.has(key)
    case 'phone':
      return ev.phones.has(key)
    case 'percent':
      return ev.percents.has(key)
    case 'date':
      return ev.dates.has(key) && key.includes('-')
    case 'amount':
      return ev.amounts.some((a) => `${a.value}|${a.currency}` === key)
    case 'name':
      return ev.text.includes(key)
    default:
      return false
  }
}
