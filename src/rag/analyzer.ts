import { normalize } from '../text/normalize.js'
import type { Segmenter } from './segmenter.js'

// Words that carry no topic: question particles, pronouns, fillers.
const STOPWORDS = new Set(
  `的 了 吗 嘛 呢 啊 呀 吧 哦 哈 么 是 不是 我 我们 我司 你 你们 您 贵司 他 她 它 他们 公司 企业 请问 请 问 问下 问一下 一下 想 想问 想知道 知道 怎么 怎么样 怎样 如何 什么 啥 哪 哪些 哪个 哪里 多少 几 几个 可以 能 能不能 会 有 有没有 没有 在 和 与 及 以及 或 或者 等 要 需要 这个 那个 这 那 就 都 也 还 又 吧 呗 谢谢 好的 嗯 一个 个 给 对 让 被 把 从 到 于 为 之 中 上 下 里 么样 吗？`.split(/\s+/),
)

const PUNCT = /^[\s\p{P}\p{S}]+$/u
const CJK_RUN = /[\u4e00-\u9fff]+/g

export interface AnalyzerOptions {
  segmenter: Segmenter
  synonymGroups: string[][]
}

/** Turns text into search terms: normalized words mapped to canonical synonyms, plus "#"-prefixed character bigrams. */
export interface Analyzer {
  words(text: string): string[]
  terms(text: string): string[]
}

/** Build the analyzer shared by indexing and querying, so both sides see the same terms. */
export function createAnalyzer({ segmenter, synonymGroups }: AnalyzerOptions): Analyzer {
  const canonical = new Map<string, string>()
  const phrases: Array<[string, string]> = []
  for (const group of synonymGroups) {
    const head = normalize(group[0]!)
    for (const variant of group) {
      const v = normalize(variant)
      // Multi-token variants ("l/c", "issuing bank") are replaced in the text before segmentation.
      if (/[^\p{L}\p{N}]/u.test(v) || (/[a-z]/.test(v) && v !== head)) phrases.push([v, head])
      if (!canonical.has(v)) canonical.set(v, head)
    }
  }
  phrases.sort((a, b) => b[0].length - a[0].length)

  function prepare(text: string): string {
    let t = normalize(text)
    for (const [variant, head] of phrases) {
      if (/^[a-z]/.test(variant)) t = t.replace(new RegExp(`(?<![a-z])${escapeRegExp(variant)}(?![a-z])`, 'g'), ` ${head} `)
      else t = t.split(variant).join(` ${head} `)
    }
    return t
  }

  function words(text: string): string[] {
    const out: string[] = []
    for (const token of segmenter.cut(prepare(text))) {
      const t = token.trim()
      if (!t || PUNCT.test(t) || STOPWORDS.has(t)) continue
      out.push(canonical.get(t) ?? t)
    }
    return out
  }

  function terms(text: string): string[] {
    const out = words(text)
    for (const run of normalize(text).match(CJK_RUN) ?? []) {
      for (let i = 0; i + 1 < run.length; i++) {
        const bigram = run.slice(i, i + 2)
        if (!STOPWORDS.has(bigram)) out.push(`#${bigram}`)
      }
    }
    return out
  }

  return { words, terms }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
