import { z } from 'zod'
import { escapeRegExp } from '../text/terms.js'

const placeName = z.string().min(2, '地名至少两个字')

export const streetsSchema = z.object({
  districts: z
    .array(
      z.object({
        name: placeName,
        /** English name, for answers to English questions. */
        en: z.string().min(2),
        aliases: z.array(placeName),
        streets: z.array(placeName.refine((s) => !/(街道|镇)$/.test(s), '街道名不带“街道”“镇”后缀')),
        /** Pinyin spellings of the district in English questions ("bao'an", "baoan"). */
        pinyin: z.array(z.string().regex(/^[a-z][a-z' -]*[a-z]$/, '拼音用小写字母')).default([]),
        /** Unambiguous pinyin of streets → the street's Chinese name. */
        streetPinyin: z.record(z.string().regex(/^[a-z][a-z' -]*[a-z]$/, '拼音用小写字母'), placeName).default({}),
      }),
    )
    .min(1),
})
export type StreetsFile = z.infer<typeof streetsSchema>

export interface PlaceMatch {
  district: string
  via: 'district' | 'alias' | 'street'
  matched: string
}

export interface PlaceResolver {
  /** The district a normalised message names, by district, alias, street or pinyin; the most specific wins. */
  resolve(text: string): PlaceMatch | undefined
  districts: string[]
  /** "宝安区" → "Bao'an District". */
  english(district: string): string
}

// Common words that contain a street name but never mean the place ("招商银行" is a bank, "重新安排" is not 新安).
const NOT_PLACES = [
  '招商银行', '招商证券', '招商基金', '招商局', '招商引资', '招商会', '招商部', '招商加盟', '招商政策',
  '新安排', '新安装', '新安全', '新安置', '新安卓',
  '幸福保', '福保险',
  '荣华富', '华富贵', '中华富强',
  '光明正大', '光明磊落',
  '福田汽车',
  '凤凰卫视', '凤凰网',
]
const STREET_SUFFIX = /^(?:街道|街|镇)/

interface Entry {
  token: string
  district: string
  via: PlaceMatch['via']
}

interface Candidate {
  entry: Entry
  start: number
  end: number // after any 街道/镇 suffix
}

function fail(detail: string): never {
  throw new Error(`知识库文件 knowledge/streets.json 字段错误：${detail}`)
}

/** Build the resolver from knowledge/streets.json, checking it covers exactly the districts that managers.json assigns. */
export function createPlaceResolver(streetsFile: unknown, managerDistricts: readonly string[]): PlaceResolver {
  const parsed = streetsSchema.safeParse(streetsFile)
  if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'}: ${i.message}`).join('；'))
  const file = parsed.data

  const names = file.districts.map((d) => d.name)
  const known = new Set(managerDistricts)
  for (const name of names) {
    if (!known.has(name)) fail(`区 ${name} 不在 managers.json 的客户经理分区中`)
  }
  for (const d of managerDistricts) {
    if (!names.includes(d)) fail(`缺少 managers.json 中的区 ${d}`)
  }

  // A name may repeat inside one district (福田 is both alias and street of 福田区) but never across two.
  const owner = new Map<string, string>()
  const entries: Entry[] = []
  for (const d of file.districts) {
    if (entries.some((e) => e.via === 'district' && e.token === d.name)) fail(`区 ${d.name} 重复`)
    const add = (token: string, via: Entry['via']): void => {
      const prev = owner.get(token)
      if (prev !== undefined && prev !== d.name) fail(`${token} 同时属于 ${prev} 和 ${d.name}`)
      owner.set(token, d.name)
      entries.push({ token, district: d.name, via })
    }
    add(d.name, 'district')
    for (const a of d.aliases) add(a, 'alias')
    for (const s of d.streets) add(s, 'street')
    for (const p of d.pinyin) add(p, 'alias')
    for (const [p, street] of Object.entries(d.streetPinyin)) {
      if (!d.streets.includes(street)) fail(`${d.name} 的拼音 ${p} 对应的 ${street} 不在该区街道中`)
      add(p, 'street')
    }
  }
  // Pinyin only counts as a whole word: "buji" is 布吉, but not inside another word.
  const latin = entries.filter((e) => /^[a-z]/.test(e.token))
  const hanzi = entries.filter((e) => !/^[a-z]/.test(e.token))
  const LATIN = latin.length
    ? new RegExp(`(?<![a-z])(?:${latin.map((e) => escapeRegExp(e.token)).sort((a, b) => b.length - a.length).join('|')})(?![a-z])`, 'g')
    : undefined
  const latinEntry = new Map(latin.map((e) => [e.token, e]))

  const longestToken = Math.max(...entries.map((e) => e.token.length))
  const longestBlock = Math.max(...NOT_PLACES.map((w) => w.length))

  function resolve(text: string): PlaceMatch | undefined {
    // Blocked spans by where they start: a match looks back only as far as the longest blocking word.
    const blockedAt = new Map<number, number[]>()
    for (const w of NOT_PLACES) {
      for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) push(blockedAt, i, i + w.length)
    }
    const isBlocked = (start: number, end: number): boolean => {
      for (let s = Math.max(0, end - longestBlock); s <= start; s++) if (blockedAt.get(s)?.some((e) => end <= e)) return true
      return false
    }
    const found: Candidate[] = []
    if (LATIN && /[a-z]/.test(text)) {
      for (const m of text.replace(/[’‘`]/g, "'").matchAll(LATIN)) {
        found.push({ entry: latinEntry.get(m[0])!, start: m.index, end: m.index + m[0].length })
      }
    }
    for (const entry of hanzi) {
      for (let i = text.indexOf(entry.token); i >= 0; i = text.indexOf(entry.token, i + 1)) {
        const end = i + entry.token.length
        if (blockedAt.size && isBlocked(i, end)) continue
        const suffix = entry.via === 'street' ? (STREET_SUFFIX.exec(text.slice(end, end + 2))?.[0].length ?? 0) : 0
        found.push({ entry, start: i, end: end + suffix })
      }
    }
    // Longest match: 沙头 inside 沙头角 (盐田区) or 光明 inside 光明区 does not count on its own.
    const len = (c: Candidate): number => c.entry.token.length
    // Only a candidate starting at most one token's length earlier can contain another: a bounded look-back.
    const byStart = new Map<number, Candidate[]>()
    for (const c of found) push(byStart, c.start, c)
    const contained = (c: Candidate): boolean => {
      for (let s = Math.max(0, c.start - longestToken); s <= c.start; s++) {
        if (byStart.get(s)?.some((o) => o !== c && len(o) > len(c) && c.start + len(c) <= o.start + len(o))) return true
      }
      return false
    }
    const standing = found.filter((c) => !contained(c))
    // A district named outright beats a street mentioned elsewhere; then the longer name; then the earlier one.
    const tier = (c: Candidate): number => (c.entry.via === 'street' ? 1 : 0)
    standing.sort((a, b) => tier(a) - tier(b) || len(b) - len(a) || a.start - b.start)
    const best = standing[0]
    if (!best) return undefined
    return { district: best.entry.district, via: best.entry.via, matched: text.slice(best.start, best.end) }
  }

  function push<T>(map: Map<number, T[]>, at: number, value: T): void {
    const list = map.get(at)
    if (list) list.push(value)
    else map.set(at, [value])
  }

  const englishNames = new Map(file.districts.map((d) => [d.name, d.en]))
  return { resolve, districts: names, english: (district) => englishNames.get(district) ?? district }
}
