import type { Knowledge } from '../knowledge/knowledge.js'
import type { Section } from '../knowledge/schema.js'
import { detectLang, type Lang } from '../text/lang.js'
import { normalize } from '../text/normalize.js'
import type { Analyzer } from './analyzer.js'
import { Bm25Index } from './bm25.js'
import { anyPhrase } from './phrases.js'

export interface RetrieverOptions {
  /** Below this BM25 score the bot abstains. */
  minScore?: number
  /** The same for an English question, which has no character bigrams to add to its score. */
  minScoreEn?: number
  /** Below this share of the question's informative words found in the best section, the bot abstains. */
  minCoverage?: number
  /** A runner-up section is added when its score is at least this share of the best. */
  runnerUpRatio?: number
  /** Weight, in the coverage rule, of a question word the policy text never uses. */
  unknownWeight?: number
}

export interface Retrieval {
  /** Set when the question is about a topic the policy brief does not cover (退税, 汇率, …). */
  outOfScope?: string
  /** Best sections, most relevant first; empty means abstain. */
  sections: Section[]
  /** True when the sections are one section's "一并回答" group, answering a general question ("有什么免费服务"). */
  bundled?: boolean
  score: number
  coverage: number
  /** Canonical words of the question. */
  queryWords: string[]
  /** Search terms of the question (words and bigrams), for picking sentences. */
  queryTerms: string[]
  /** The best-ranked sections and their scores, abstention or not: what the unanswered log shows staff. */
  hits?: Array<{ id: string; score: number }>
}

export interface Retriever {
  /** The sections answering a question; `lang` picks the index (English questions also search the English lines). */
  retrieve(question: string, lang?: Lang): Retrieval
  /** The out-of-scope topic a question is about (出口退税, 汇率…), if any. */
  offTopic(question: string): string | undefined
  /** How much a term says about a topic: its corpus IDF times its kind's weight. */
  termWeight(term: string): number
}

/** BM25 over the policy sections (title, keywords and body), with an abstention rule. */
// Character bigrams catch typos and unseen words but say less than a whole word.
const kindWeight = (term: string) => (term.startsWith('#') ? 0.35 : 1)

export function createRetriever(
  knowledge: Knowledge,
  analyzer: Analyzer,
  { minScore = 3, minScoreEn = 2, minCoverage = 0.25, runnerUpRatio = 0.8, unknownWeight = 1.5 }: RetrieverOptions = {},
): Retriever {
  const sections = knowledge.policy.sections
  const chineseTerms = (s: Section) => [
    ...analyzer.terms(s.title),
    ...analyzer.terms(s.title),
    ...s.keywords.flatMap((k) => analyzer.terms(k)),
    ...s.keywords.flatMap((k) => analyzer.words(k)),
    ...analyzer.terms(s.body),
  ]
  const zhIndex = new Bm25Index(sections.map((s) => ({ id: s.id, terms: chineseTerms(s) })), { termWeight: kindWeight })
  // English questions search a second index that adds each section's English lead and English keywords, so the
  // English words (many mapped to the same canonical terms) do not shift the ranking of Chinese questions.
  const enIndex = new Bm25Index(
    sections.map((s) => ({
      id: s.id,
      // Not the lead's numbers: "3 months" in a question is not "3 overseas buyer credit reports".
      terms: [...chineseTerms(s), ...analyzer.words(s.en).filter((w) => !/^\d/.test(w)), ...s.keywordsEn.flatMap((k) => analyzer.words(k))],
    })),
    { termWeight: kindWeight },
  )

  // Matched literally in the normalised question (Latin terms as whole words), so phrases like 什么材料 work too.
  const offTopic = knowledge.outOfScope.topics.map((t) => ({ test: anyPhrase(t.terms), topic: t.name }))
  const findOffTopic = (question: string) => {
    const q = normalize(question)
    return offTopic.find((o) => o.test(q))?.topic
  }
  // A case study answers only a question about cases ("只在问到时回答"), never stands in for a policy answer;
  // a general question ("有什么免费服务") gets its section's whole group ("一并回答").
  const gates = new Map(sections.filter((s) => s.only.length).map((s) => [s.id, anyPhrase(s.only)]))
  const bundles = new Map(
    sections
      .filter((s) => s.also.length && s.alsoWhen.length)
      .map((s) => {
        const general = anyPhrase(s.alsoWhen)
        const specific = anyPhrase(s.alsoUnless)
        return [s.id, (q: string) => general(q) && !specific(q)]
      }),
  )
  // A year the brief never mentions (2023, 2019…) is a strong sign the question is about something else.
  const unknownWeightOf = (w: string) => (/^(19|20)\d\d$/.test(w) ? 3 * unknownWeight : unknownWeight)

  return {
    retrieve: function retrieve(question, lang = detectLang(question)) {
      const index = lang === 'en' ? enIndex : zhIndex
      const queryWords = analyzer.words(question)
      const queryTerms = analyzer.terms(question)
      const none = { sections: [], score: 0, coverage: 0, queryWords, queryTerms }
      const outOfScope = findOffTopic(question)
      if (outOfScope) return { ...none, outOfScope }
      const q = normalize(question)
      const hits = index.search(queryTerms).filter((h) => gates.get(h.id)?.(q) ?? true)
      const top = hits[0]
      if (!top) return none
      const ranked = hits.slice(0, 3).map((h) => ({ id: h.id, score: Math.round(h.score * 100) / 100 }))
      // Words the corpus never uses weigh a fixed amount: they may be filler or an off-topic subject.
      const weightOf = (w: string) => (index.has(w) ? index.idf(w) : unknownWeightOf(w)) * (w.length > 1 ? 1 : 0.5)
      const total = queryWords.reduce((a, w) => a + weightOf(w), 0)
      const matched = new Set(top.matched)
      // An unknown compound ("打印机") earns the share of its bigrams the section shares ("打印").
      const credit = (w: string) => {
        if (matched.has(w)) return 1
        if (index.has(w) || w.length < 3) return 0
        const grams = [...w].slice(1).map((ch, i) => `#${w[i]}${ch}`)
        return grams.filter((g) => matched.has(g)).length / grams.length
      }
      const found = queryWords.reduce((a, w) => a + weightOf(w) * credit(w), 0)
      const coverage = total > 0 ? found / total : 0
      // The general phrasing of a group ("有什么免费服务", "送些什么") is itself the answer's subject.
      const owner = hits.find((h) => bundles.get(h.id)?.(q))
      if (owner) {
        const best = knowledge.sections.get(owner.id)!
        const sections = [best, ...best.also.map((id) => knowledge.sections.get(id)!)]
        return { sections, bundled: true, score: owner.score, coverage, queryWords, queryTerms, hits: ranked }
      }
      if (top.score < (lang === 'en' ? minScoreEn : minScore) || coverage < minCoverage) return { ...none, score: top.score, coverage, hits: ranked }
      const chosen = [top]
      const second = hits[1]
      if (second && second.score >= top.score * runnerUpRatio) chosen.push(second)
      return {
        sections: chosen.map((h) => knowledge.sections.get(h.id)!),
        score: top.score,
        coverage,
        queryWords,
        queryTerms,
        hits: ranked,
      }
    },
    offTopic: findOffTopic,
    termWeight: (term) => (zhIndex.has(term) ? zhIndex.idf(term) * kindWeight(term) : 0),
  }
}
