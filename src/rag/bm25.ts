/** A document to index: an id and its terms. */
export interface Bm25Doc {
  id: string
  terms: string[]
}

export interface Bm25Options {
  k1?: number
  b?: number
  /** Weight of a term by its kind; character bigrams ("#..") count less than words. */
  termWeight?: (term: string) => number
}

export interface Bm25Hit {
  id: string
  score: number
  matched: string[]
}

/** Okapi BM25 over a small, fixed corpus; scoring is a few map lookups per query term. */
export class Bm25Index {
  private readonly tf: Array<Map<string, number>>
  private readonly len: number[]
  private readonly df = new Map<string, number>()
  private readonly avgLen: number
  private readonly k1: number
  private readonly b: number
  private readonly weight: (term: string) => number

  constructor(private readonly docs: Bm25Doc[], { k1 = 1.2, b = 0.75, termWeight = () => 1 }: Bm25Options = {}) {
    this.k1 = k1
    this.b = b
    this.weight = termWeight
    this.tf = docs.map((d) => {
      const m = new Map<string, number>()
      for (const t of d.terms) m.set(t, (m.get(t) ?? 0) + 1)
      for (const t of m.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1)
      return m
    })
    this.len = docs.map((d) => d.terms.length)
    this.avgLen = this.len.reduce((a, n) => a + n, 0) / Math.max(1, docs.length)
  }

  /** Inverse document frequency; a term absent from the corpus gets the highest value. */
  idf(term: string): number {
    const n = this.docs.length
    const df = this.df.get(term) ?? 0
    return Math.log(1 + (n - df + 0.5) / (df + 0.5))
  }

  has(term: string): boolean {
    return this.df.has(term)
  }

  /** Scores of every document with at least one query term, best first. */
  search(queryTerms: string[]): Bm25Hit[] {
    const unique = [...new Set(queryTerms)]
    const hits: Bm25Hit[] = []
    for (let i = 0; i < this.docs.length; i++) {
      const tf = this.tf[i]!
      let score = 0
      const matched: string[] = []
      for (const term of unique) {
        const f = tf.get(term)
        if (!f) continue
        const norm = f + this.k1 * (1 - this.b + (this.b * this.len[i]!) / this.avgLen)
        score += this.weight(term) * this.idf(term) * ((f * (this.k1 + 1)) / norm)
        matched.push(term)
      }
      if (score > 0) hits.push({ id: this.docs[i]!.id, score, matched })
    }
    return hits.sort((a, b) => b.score - a.score)
  }
}
