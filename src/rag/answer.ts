import { citation, type Knowledge } from '../knowledge/knowledge.js'
import type { Section } from '../knowledge/schema.js'
import { plainText } from '../text/normalize.js'
import type { Analyzer } from './analyzer.js'
import type { Retrieval, Retriever } from './retriever.js'

const SHORT_BODY = 120
const MAX_SENTENCES = 2

export interface Answer {
  text: string
  sectionIds: string[]
  /** True when a section was shortened, so "详细一点" has more to show. */
  truncated: boolean
}

/** Split into sentences at Chinese sentence ends, keeping the punctuation. */
export function sentences(body: string): string[] {
  return body.match(/[^。！？；]+[。！？；]?/g)?.map((s) => s.trim()).filter(Boolean) ?? [body]
}

/** The sentences of a section that best match the question, in their original order. */
function excerpt(section: Section, retrieval: Retrieval, analyzer: Analyzer, retriever: Retriever): { text: string; truncated: boolean } {
  if (section.body.length <= SHORT_BODY) return { text: section.body, truncated: false }
  const wanted = new Set(retrieval.queryTerms)
  const parts = sentences(section.body).map((s, i) => ({ i, s, terms: new Set(analyzer.terms(s).filter((t) => wanted.has(t))) }))
  // Greedy, maximal marginal relevance: question terms the chosen sentences already show count half, so the
  // second sentence adds something ("130票货物") instead of repeating the first ("光明区").
  const covered = new Set<string>()
  const keep: typeof parts = []
  while (keep.length < MAX_SENTENCES && keep.length < parts.length) {
    let best: { p: (typeof parts)[number]; score: number } | undefined
    for (const p of parts) {
      if (keep.includes(p)) continue
      let score = p.i === 0 && !keep.length ? 0.3 : 0 // the opening sentence usually says what the section is about
      // Terms already shown still count, at half weight: a sentence that says more about them beats an unrelated one.
      for (const t of p.terms) score += retriever.termWeight(t) * (covered.has(t) ? 0.5 : 1)
      if (!best || score > best.score) best = { p, score }
    }
    if (!best) break
    keep.push(best.p)
    for (const t of best.p.terms) covered.add(t)
  }
  keep.sort((a, b) => a.i - b.i)
  const text = keep.map((k) => k.s).join('')
  return { text, truncated: keep.length < parts.length }
}

/** Extractive answer: the best sentences of each retrieved section, each followed by its source. */
export function composeAnswer(k: Knowledge, retrieval: Retrieval, analyzer: Analyzer, retriever: Retriever): Answer {
  let truncated = false
  const blocks = retrieval.sections.map((s) => {
    const part = excerpt(s, retrieval, analyzer, retriever)
    truncated ||= part.truncated
    return `${plainText(part.text)}\n${citation(k, s.id)}`
  })
  if (truncated) blocks.push('回复“详细一点”查看全文。')
  return { text: blocks.join('\n\n'), sectionIds: retrieval.sections.map((s) => s.id), truncated }
}

/** Whole sections, for "详细一点". */
export function composeFull(k: Knowledge, sectionIds: string[]): string {
  return sectionIds
    .map((id) => k.sections.get(id))
    .filter((s): s is Section => !!s)
    .map((s) => `${s.title}\n${plainText(s.body)}\n${citation(k, s.id)}`)
    .join('\n\n')
}

/** What the bot says when it is not sure: no guess, just where to ask. */
export function abstention(k: Knowledge, topic?: string): string {
  const phones = k.contacts.policyHotlines.phones.join('、')
  const lead = topic ? `“${topic}”不在统保政策资料的范围内，` : ''
  return `抱歉，${lead}这个问题我在统保政策资料里没有找到确切答案，不敢乱说。建议致电政策办理咨询电话 ${phones} 咨询。\n${citation(k, k.contacts.policyHotlines.source)}\n也可以回复“菜单”看看我能帮您做什么。`
}
