import type { Knowledge } from '../knowledge/knowledge.js'
import type { Section } from '../knowledge/schema.js'
import type { Analyzer } from './analyzer.js'
import { Bm25Index } from './bm25.js'

export interface RetrieverOptions {
  /** Below this BM25 score the bot abstains. */
  minScore?: number
  /** Below this share of the question's informative words found in the best section, the bot abstains. */
  minCoverage?: number
  /** A runner-up section is added when its score is at least this share of the best. */
  runnerUpRatio?: number
}

export interface Retrieval {
  /** Best sections, most relevant first; empty means abstain. */
  sections: Section[]
  score: number
  coverage: number
  /** Canonical words of the question, for picking sentences. */
  queryWords: string[]
}

export interface Retriever {
  retrieve(question: string): Retrieval
}

/** BM25 over the policy sections (title, keywords and body), with an abstention rule. */
export function createRetriever(
  knowledge: Knowledge,
  analyzer: Analyzer,
  { minScore = 3, minCoverage = 0.34, runnerUpRatio = 0.8 }: RetrieverOptions = {},
): Retriever {
  const sections = knowledge.policy.sections
  const index = new Bm25Index(
    sections.map((s) => ({
      id: s.id,
      terms: [
        ...analyzer.terms(s.title),
        ...analyzer.terms(s.title),
        ...s.keywords.flatMap((k) => analyzer.terms(k)),
        ...analyzer.terms(s.body),
      ],
    })),
    { termWeight: (t) => (t.startsWith('#') ? 0.35 : 1) },
  )

  return {
    retrieve: function retrieve(question) {
      const queryWords = analyzer.words(question)
      const hits = index.search(analyzer.terms(question))
      const top = hits[0]
      if (!top) return { sections: [], score: 0, coverage: 0, queryWords }
      // Informative words: single characters and unknown filler count half.
      const weightOf = (w: string) => index.idf(w) * (w.length > 1 ? 1 : 0.5)
      const total = queryWords.reduce((a, w) => a + weightOf(w), 0)
      const matched = new Set(top.matched)
      const found = queryWords.filter((w) => matched.has(w)).reduce((a, w) => a + weightOf(w), 0)
      const coverage = total > 0 ? found / total : 0
      if (top.score < minScore || coverage < minCoverage) return { sections: [], score: top.score, coverage, queryWords }
      const chosen = [top]
      const second = hits[1]
      if (second && second.score >= top.score * runnerUpRatio) chosen.push(second)
      return {
        sections: chosen.map((h) => knowledge.sections.get(h.id)!),
        score: top.score,
        coverage,
        queryWords,
      }
    },
  }
}
