import type { KvStore, UnansweredEntry, UnansweredKind } from '../store/types.js'
import { standardWording } from '../text/colloquial.js'
import { normalize } from '../text/normalize.js'

/** Near-identical questions asked the same way: one group on the console's unanswered page. */
export interface UnansweredGroup {
  /** Names the group in forms and links (a hash of key). */
  id: string
  /** The normalised wording of the group's first question. */
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

/** A group's id: a short hash of its key, safe in URLs and form fields whatever the question's length. */
export function groupId(key: string): string {
  // cyrb53: 53 well-mixed bits, plenty for a few thousand groups.
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0')
}

/**
 * The group an entry was filed under when it was written (UnansweredEntry.group); entries logged before groups
 * were assigned at write time fall back to their exact wording, which costs nothing to compute here.
 */
function entryGroup(e: UnansweredEntry): { id: string; key: string } {
  return e.group ?? { id: groupId(e.question), key: e.question }
}

/** A group as counted, before it is described: its entries, newest first. */
export interface GroupTally {
  id: string
  key: string
  count: number
  lastAt: number
  members: UnansweredEntry[]
}

/**
 * Gather entries into their groups, most asked first, then the most recent. One pass, no text work: the
 * near-identical matching was done once, when each entry was written (createUnansweredGrouper), so opening the
 * page costs the same whoever opens it and however the questions were worded. Entries come newest first
 * (UnansweredLog.recent), and so do each group's members.
 */
export function tallyGroups(entries: UnansweredEntry[]): GroupTally[] {
  const byGroup = new Map<string, GroupTally>()
  for (const e of entries) {
    const g = entryGroup(e)
    const tally = byGroup.get(g.id)
    if (tally) {
      tally.members.push(e)
      tally.count += 1
    } else byGroup.set(g.id, { id: g.id, key: g.key, count: 1, lastAt: e.at, members: [e] })
  }
  return [...byGroup.values()].sort((a, b) => b.count - a.count || b.lastAt - a.lastAt)
}

/** What the page shows of a group: wordings by frequency, reasons, the latest entry's sections. */
export function describeGroup({ id, key, members }: GroupTally): UnansweredGroup {
  const latest = members[0]!
  const wordings = new Map<string, number>()
  const kinds: UnansweredGroup['kinds'] = {}
  let topic: string | undefined
  let detail: string | undefined
  for (const m of members) {
    wordings.set(m.question, (wordings.get(m.question) ?? 0) + 1)
    kinds[m.kind] = (kinds[m.kind] ?? 0) + 1
    topic ??= m.topic
    detail ??= m.detail
  }
  // Stable sort: on a tie the newer wording (met first) leads.
  const ranked = [...wordings].sort((a, b) => b[1] - a[1]).map(([q]) => q)
  return {
    id,
    key,
    question: ranked[0]!,
    count: members.length,
    firstAt: members[members.length - 1]!.at,
    lastAt: latest.at,
    kinds,
    variants: ranked.slice(1, 6),
    sections: latest.sections,
    ...(latest.coverage !== undefined ? { coverage: latest.coverage } : {}),
    ...(topic ? { topic } : {}),
    ...(detail ? { detail } : {}),
    lang: latest.lang,
    ids: members.map((m) => m.id),
  }
}

/** Every group, described, most asked first (exports and tests; the page describes only the groups it shows). */
export function groupUnanswered(entries: UnansweredEntry[]): UnansweredGroup[] {
  return tallyGroups(entries).map(describeGroup)
}

/*
 * Finding the group of a new question without comparing it with every other: MinHash over the key's character
 * bigrams, in BANDS bands of ROWS hashes each (locality-sensitive hashing). Two keys at the SIMILAR Dice level
 * (Jaccard about 0.6) share at least one band with probability 1 - (1 - 0.6²)⁸ ≈ 0.97; each band value is a kv
 * slot naming the first group that claimed it. A new question reads its BANDS slots, compares itself with the
 * few groups they name, and joins the first alike; else it claims the free slots for a group of its own.
 * Cost per logged question: one pass over its bigrams and about 2 × BANDS small kv operations; storage per
 * group: BANDS ids and one key of at most KEY_CHARS characters, for SLOT_TTL_SECONDS.
 */
const BANDS = 8
const ROWS = 2
const KEY_CHARS = 160
const SLOT_TTL_SECONDS = 90 * 86_400
const SEEDS = Array.from({ length: BANDS * ROWS }, (_, i) => Math.imul(i + 1, 0x9e3779b1) >>> 0)

function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** The key's band values: BANDS strings; keys alike share some of them. */
export function bandsOf(key: string): string[] {
  const grams = new Set<number>()
  for (let i = 0; i < key.length - 1; i++) grams.add(fnv1a(key.slice(i, i + 2)))
  const mins = SEEDS.map(() => 0xffffffff)
  for (const g of grams) for (let j = 0; j < SEEDS.length; j++) mins[j] = Math.min(mins[j]!, mix(g ^ SEEDS[j]!))
  return Array.from({ length: BANDS }, (_, b) => `${b}:${mins.slice(b * ROWS, (b + 1) * ROWS).map((m) => m.toString(36)).join('.')}`)
}

/** Files each new unanswered question under a group, once, when it is logged. */
export interface UnansweredGrouper {
  assign(question: string): Promise<{ id: string; key: string }>
}

/** A grouper keeping its band slots in the store's kv (shared by every instance). */
export function createUnansweredGrouper(kv: KvStore): UnansweredGrouper {
  const slotKey = (band: string) => `unanswered:band:${band}`
  const keyKey = (id: string) => `unanswered:group:${id}`
  const alike = (key: string, other: string | undefined) => other !== undefined && (other === key || similarity(other, key) >= SIMILAR)

  /** The first group among these ids whose key is alike. */
  async function firstAlike(key: string, ids: Array<string | undefined>): Promise<{ id: string; key: string } | undefined> {
    for (const id of new Set(ids.filter((i): i is string => i !== undefined))) {
      const other = await kv.get(keyKey(id))
      if (alike(key, other)) return { id, key: other! }
    }
    return undefined
  }

  return {
    async assign(question) {
      // Long questions are grouped on their beginning: what tells two questions apart is said early.
      const key = (groupKey(question) || question).slice(0, KEY_CHARS)
      const own = { id: groupId(key), key }
      // Too short to compare by pieces (similarity() says 0): the exact key is the group.
      if (key.length < 4) return own
      const slots = bandsOf(key).map(slotKey)
      const named = await Promise.all(slots.map((k) => kv.get(k)))
      const home = await firstAlike(key, named)
      if (home) return home
      await kv.set(keyKey(own.id), key, SLOT_TTL_SECONDS)
      // Claim the free slots; a slot taken meanwhile by an alike question (asked at the same moment) is its group.
      const claimed = await Promise.all(slots.map((k, i) => (named[i] === undefined ? kv.setIfAbsent(k, own.id, SLOT_TTL_SECONDS) : true)))
      const lost = slots.filter((_, i) => !claimed[i])
      if (lost.length) return (await firstAlike(key, await Promise.all(lost.map((k) => kv.get(k))))) ?? own
      return own
    },
  }
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
