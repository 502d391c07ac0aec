import { normalize } from '../text/normalize.js'
import { memoize } from '../text/memo.js'
import { escapeRegExp } from '../text/terms.js'
import type { Segmenter } from './segmenter.js'

// Words that carry no topic: question particles, pronouns, fillers.
const STOPWORDS = new Set(
  [
    // particles and punctuation-like words
    '的 地 得 了 着 过 吗 嘛 呢 啊 呀 吧 哦 哈 么 呗 啦 嗯 哇 喔 咯 噢 诶 欸',
    // pronouns and people
    '我 我们 我司 咱 咱们 你 你们 您 贵司 他 她 它 他们 她们 人家 别人 自己 大家 本公司 我方 公司 企业 老板 同事',
    // question words and fillers
    '请问 请 问 问下 问问 问一下 一下 想 想问 想知道 知道 了解 咨询一下 怎么 怎么样 怎样 咋 咋样 如何 什么 啥 哪 哪些 哪个 哪位 哪里 哪儿 几 几个 几份 干嘛 为啥 为什么',
    '可以 可不可以 能 能不能 能否 会 会不会 有 有没有 没有 是 是不是 不是 算 算不算 保不保 行不行 对不对 要不要 需不需要 吗？',
    '在 和 与 及 以及 或 或者 等 等等 要 需要 得 这个 那个 这 那 这种 那种 这样 那样 这些 那些 就 都 也 还 又 还要 再 才 只 呢 吧',
    '那家 这家 后来 觉得 感觉 用 做 又 听说 到底 究竟 真的 一直 已经 比较 非常 很 太 挺',
    '谢谢 谢了 好的 好 麻烦 麻烦你 一个 个 给 对 让 被 把 从 到 于 为 之 中 上 下 里 叫 说 讲 看 弄 搞 办 具体 一般 现在 目前 的话 然后 那么 所以 因为 但是 不过',
  ]
    .join(' ')
    .split(/\s+/),
)

// A character bigram across a particle ("出了", "的货") says nothing about the topic.
const PARTICLE = /[的了吗呢吧啊么呀哦着过嘛]/
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
  // Compiled once: English variants match whole words only ("lc", not the "lc" inside another word).
  const replacers = phrases.map(([variant, head]) => {
    if (!/^[a-z]/.test(variant)) return (t: string) => (t.includes(variant) ? t.split(variant).join(` ${head} `) : t)
    const re = new RegExp(`(?<![a-z])${escapeRegExp(variant)}(?![a-z])`, 'g')
    return (t: string) => t.replace(re, ` ${head} `)
  })
  const anyLatin = /[a-z]/

  function prepare(text: string): string {
    let t = normalize(text)
    for (let i = 0; i < replacers.length; i++) {
      // Latin variants cannot match a text without Latin letters; skip their regexes.
      if (!anyLatin.test(t) && /^[a-z]/.test(phrases[i]![0])) continue
      t = replacers[i]!(t)
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
        if (!STOPWORDS.has(bigram) && !PARTICLE.test(bigram)) out.push(`#${bigram}`)
      }
    }
    return out
  }

  // Results are shared between callers: treat them as read-only.
  return { words: memoize(words), terms: memoize(terms) }
}
