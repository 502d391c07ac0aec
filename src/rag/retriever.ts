import type { Knowledge } from '../knowledge/knowledge.js'
import type { Section } from '../knowledge/schema.js'
import { normalize } from '../text/normalize.js'
import { termMatcher } from '../text/terms.js'
import type { Analyzer } from './analyzer.js'
import { Bm25Index } from './bm25.js'

export interface RetrieverOptions {
  /** Below this BM25 score the bot abstains. */
  minScore?: number
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
  score: number
  coverage: number
  /** Canonical words of the question. */
  queryWords: string[]
  /** Search terms of the question (words and bigrams), for picking sentences. */
  queryTerms: string[]
}

export interface Retriever {
  retrieve(question: string): Retrieval
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
  { minScore = 3, minCoverage = 0.25, runnerUpRatio = 0.8, unknownWeight = 1.5 }: RetrieverOptions = {},
): Retriever {
  const sections = knowledge.policy.sections
  const index = new Bm25Index(
    sections.map((s) => ({
      id: s.id,
      terms: [
        ...analyzer.terms(s.title),
        ...analyzer.terms(s.title),
        ...s.keywords.flatMap((k) => analyzer.terms(k)),
        ...s.keywords.flatMap((k) => analyzer.words(k)),
        ...analyzer.terms(s.body),
      ],
    })),
    { termWeight: kindWeight },
  )

  // Matched literally in the normalised question (Latin terms as whole words), so phrases like 什么材料 work too.
  const offTopic = knowledge.outOfScope.topics.flatMap((t) =>
    t.terms.map((term) => ({ test: termMatcher(normalize(term)), topic: t.name })),
  )
  const findOffTopic = (question: string) => {
    const q = normalize(question)
    return offTopic.find((o) => o.test(q))?.topic
  }
  // A year the brief never mentions (2023, 2019…) is a strong sign the question is about something else.
  const unknownWeightOf = (w: string) => (/^(19|20)\d\d$/.test(w) ? 3 * unknownWeight : unknownWeight)

  return {
    retrieve: function retrieve(question) {
      const queryWords = analyzer.words(question)
      const queryTerms = analyzer.terms(question)
      const none = { sections: [], score: 0, coverage: 0, queryWords, queryTerms }
      const outOfScope = findOffTopic(question)
      if (outOfScope) return { ...none, outOfScope }
      const hits = index.search(queryTerms)
      const top = hits[0]
      if (!top) return none
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
      if (top.score < minScore || coverage < minCoverage) return { ...none, score: top.score, coverage }
      const chosen = [top]
      const second = hits[1]
      if (second && second.score >= top.score * runnerUpRatio) chosen.push(second)
      return {
        sections: chosen.map((h) => knowledge.sections.get(h.id)!),
        score: top.score,
        coverage,
        queryWords,
        queryTerms,
      }
    },
    offTopic: findOffTopic,
    termWeight: (term) => (index.has(term) ? index.idf(term) * kindWeight(term) : 0),
  }
}
