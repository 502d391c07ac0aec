import { citation, type Knowledge } from '../knowledge/knowledge.js'
import type { Section } from '../knowledge/schema.js'
import type { Lang } from '../text/lang.js'
import { plainText } from '../text/normalize.js'
import type { Analyzer } from './analyzer.js'
import type { Retrieval, Retriever } from './retriever.js'

const SHORT_BODY = 120
const MAX_SENTENCES = 2
// The section that says to report a loss at once; answering it, the bot also says how (claims line, guided report).
const REPORT_SECTION = 'report'
// A question about claiming or reporting, answered by the section that carries the claims phone.
const ASKS_CLAIM = /理赔|索赔|报案|报损|出险|赔款|损失|claim|report|loss/

export interface ComposeOptions {
  /** 'en': each section opens with its English lead sentence, and the bot's own lines are in English. */
  lang?: Lang
  /** The normalised question, to tell a claims question from a question about the policy period. */
  question?: string
}

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
export function composeAnswer(
  k: Knowledge,
  retrieval: Retrieval,
  analyzer: Analyzer,
  retriever: Retriever,
  { lang = 'zh', question = '' }: ComposeOptions = {},
): Answer {
  const en = lang === 'en'
  let truncated = false
  const blocks = retrieval.sections.map((s) => {
    // A group answered together ("有什么免费服务") shows each of its sections whole: they are short.
    const part = retrieval.bundled ? { text: s.body, truncated: false } : excerpt(s, retrieval, analyzer, retriever)
    truncated ||= part.truncated
    return `${en ? `${s.en}\n` : ''}${plainText(part.text)}\n${citation(k, s.id)}`
  })
  const howToReport = reportLine(k, retrieval.sections.map((s) => s.id), question, lang)
  if (howToReport) blocks.push(howToReport)
  if (truncated) blocks.push(en ? 'Reply “详细一点” to see the full Chinese text.' : '回复“详细一点”查看全文。')
  return { text: blocks.join('\n\n'), sectionIds: retrieval.sections.map((s) => s.id), truncated }
}

/**
 * How to report, added where the answer tells the firm to report or claim: the claims phone (cited) and the
 * guided report in this chat.
 */
export function reportLine(k: Knowledge, ids: string[], question: string, lang: Lang): string | undefined {
  const claims = k.contacts.claimsHotline
  const phones = claims.phones.join(lang === 'en' ? ', ' : '、')
  const showsPhone = ids.includes(claims.source)
  if (ids.includes(REPORT_SECTION) && !showsPhone) {
    return lang === 'en'
      ? `To report, call the claims service line ${phones}, or reply “报损” and I will take the loss report here, one question at a time.\n${citation(k, claims.source)}`
      : `报案可以拨打${claims.label} ${phones}，也可以回复“报损”由我在线登记。\n${citation(k, claims.source)}`
  }
  if (ids.includes(REPORT_SECTION) || (showsPhone && ASKS_CLAIM.test(question))) {
    return lang === 'en' ? 'You can also reply “报损” and I will take the loss report here, one question at a time.' : '也可以回复“报损”由我在线登记。'
  }
  return undefined
}

/** Whole sections, for "详细一点"; an English reader gets each section's English lead first. */
export function composeFull(k: Knowledge, sectionIds: string[], lang: Lang = 'zh'): string {
  return sectionIds
    .map((id) => k.sections.get(id))
    .filter((s): s is Section => !!s)
    .map((s) => `${s.title}\n${lang === 'en' ? `${s.en}\n` : ''}${plainText(s.body)}\n${citation(k, s.id)}`)
    .join('\n\n')
}

/**
 * What the bot says when it is not sure: no guess, just where to ask. For a topic the brief does not cover,
 * it names the topic and adds what the brief does say next to it (the topic's note, cited), if anything.
 */
export function abstention(k: Knowledge, topic?: string, lang: Lang = 'zh'): string {
  const phones = k.contacts.policyHotlines.phones.join(lang === 'en' ? ', ' : '、')
  const t = topic ? k.outOfScope.topics.find((x) => x.name === topic) : undefined
  const noteSource = t?.source && (lang === 'en' ? t.noteEn : t.note) ? [citation(k, t.source)] : []
  const sources = [...noteSource, citation(k, k.contacts.policyHotlines.source)].join('\n')
  if (lang === 'en') {
    const lead = topic ? `The policy brief does not cover ${t?.nameEn ?? 'this topic'}. ` : ''
    const note = t?.noteEn ? `${t.noteEn}\n` : ''
    return `Sorry, I could not find this in the policy brief, so I will not guess. ${lead}\n${note}Please call the policy consultation lines ${phones}.\n${sources}\nYou can also reply “菜单” (menu) to see what I can help with.`.replace(' \n', '\n')
  }
  const lead = topic ? `“${topic}”不在统保政策资料的范围内，` : ''
  const note = t?.note ? `${t.note}\n` : ''
  return `抱歉，${lead}这个问题我在统保政策资料里没有找到确切答案，不敢乱说。\n${note}建议致电政策办理咨询电话 ${phones} 咨询。\n${sources}\n也可以回复“菜单”看看我能帮您做什么。`
}
