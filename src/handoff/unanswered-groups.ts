import type { UnansweredEntry, UnansweredKind } from '../store/types.js'
import { standardWording } from '../text/colloquial.js'
import { normalize } from '../text/normalize.js'

/** Near-identical questions asked the same way: one group on the console's unanswered page. */
export interface UnansweredGroup {
  /** The normalised wording of the group's first question: names the group in forms and exports. */
  key: string
  /** The wording asked most often (the latest on a tie), masked. */
  question: string
  count: number
  firstAt: number
  lastAt: number
  kinds: Partial<Record<UnansweredKind, number>>
  /** Other wordings, most frequent first (at most 5). */
  variants: string[]
  /** The best sections and scores of the latest entry. */
  sections: Array<{ id: string; score: number }>
  coverage?: number
  topic?: string
  detail?: string
  lang: 'zh' | 'en'
  /** Entry ids, newest first. */
  ids: string[]
}

// Politeness and filler say nothing about the question.
const FILLER = /请问|你好|您好|麻烦|谢谢|想问一下|想问下|问一下|我想知道|请教一下|\b(please|hello|hi|thanks?)\b/g
/** Groups share a wording this close (Dice coefficient of character bigrams). */
const SIMILAR = 0.75

/** The wording a group is keyed on: normalised (full-width, traditional, case, colloquial), without filler or punctuation. */
export function groupKey(question: string): string {
  return standardWording(normalize(question))
    .replace(FILLER, '')
    .replace(/[\s\p{P}\p{S}]/gu, '')
}

function bigrams(s: string): Map<string, number> {
  const out = new Map<string, number>()
  for (let i = 0; i < s.length - 1; i++) out.set(s.slice(i, i + 2), (out.get(s.slice(i, i + 2)) ?? 0) + 1)
  return out
}

/** Dice coefficient over character bigrams: 1 for the same wording, 0 for nothing shared. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1
  // Too short to compare by pieces: "保费" and "保额" are different questions.
  if (a.length < 4 || b.length < 4) return 0
  const x = bigrams(a)
  const y = bigrams(b)
  let shared = 0
  for (const [g, n] of x) shared += Math.min(n, y.get(g) ?? 0)
  return (2 * shared) / (a.length - 1 + b.length - 1)
}

/**
 * Group near-identical questions (same key, or keys at least SIMILAR alike), then sort by how often they were
 * asked and how recently. Entries come newest first (UnansweredLog.recent).
 */
export function groupUnanswered(entries: UnansweredEntry[]): UnansweredGroup[] {
  // Exact keys first, then each key joins the first (most asked) group whose key it resembles.
  const byKey = new Map<string, UnansweredEntry[]>()
  for (const e of entries) {
    const k = groupKey(e.question) || e.question
    byKey.set(k, [...(byKey.get(k) ?? []), e])
  }
  const keys = [...byKey.keys()].sort((a, b) => byKey.get(b)!.length - byKey.get(a)!.length || byKey.get(b)![0]!.at - byKey.get(a)![0]!.at)
  const clusters: Array<{ key: string; members: UnansweredEntry[] }> = []
  for (const k of keys) {
    const home = clusters.find((c) => similarity(c.key, k) >= SIMILAR)
    if (home) home.members.push(...byKey.get(k)!)
    else clusters.push({ key: k, members: [...byKey.get(k)!] })
  }
  return clusters
    .map(({ key, members }) => {
      members.sort((a, b) => b.at - a.at)
      const latest = members[0]!
      const wordings = new Map<string, number>()
      for (const m of members) wordings.set(m.question, (wordings.get(m.question) ?? 0) + 1)
      const ranked = [...wordings].sort((a, b) => b[1] - a[1]).map(([q]) => q)
      const kinds: UnansweredGroup['kinds'] = {}
      for (const m of members) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1
      return {
        key,
        question: ranked[0]!,
        count: members.length,
        firstAt: members[members.length - 1]!.at,
        lastAt: latest.at,
        kinds,
        variants: ranked.slice(1, 6),
        sections: latest.sections,
        ...(latest.coverage !== undefined ? { coverage: latest.coverage } : {}),
        ...(members.find((m) => m.topic) ? { topic: members.find((m) => m.topic)!.topic } : {}),
        ...(members.find((m) => m.detail) ? { detail: members.find((m) => m.detail)!.detail } : {}),
        lang: latest.lang,
        ids: members.map((m) => m.id),
      }
    })
    .sort((a, b) => b.count - a.count || b.lastAt - a.lastAt)
}

/** A golden question as test/golden/*.json holds them (src/eval/golden.ts). */
export interface GoldenCandidate {
  q: string
  category: string
  sections: string[]
  facts: string[]
  absent: string[]
  before: string[]
}

/**
 * Groups as golden-set candidates, in the golden files' shape: a topic the brief does not cover is an "abstain"
 * item (the bot should keep declining); anything else names the sections retrieval found, for staff to confirm,
 * and the facts a right answer must contain are left for them to fill in.
 */
export function goldenCandidates(groups: UnansweredGroup[]): GoldenCandidate[] {
  return groups.map((g) => ({
    q: g.question,
    category: g.topic ? 'abstain' : 'unanswered',
    sections: g.topic ? [] : g.sections.map((s) => s.id),
    facts: [],
    absent: [],
    before: [],
  }))
}
