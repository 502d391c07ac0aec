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
    '最近 好像 似乎 可能 大概 跟 向 一声 下子 一下子',
    // Cantonese particles and question words (the engine rewrites most of them; a raw question may still carry them)
    '嘅 咗 啲 喇 嘢 咩 乜 乜嘢 咩嘢 边个 边度 点样 系咪 唔 冇 有冇 佢 佢哋 我哋 你哋 喺 噉 咁 几多 睇 睇下 㗎 啩 嘞 哋 话',
    // English function words: an English question keeps only its content words
    'a an the is are was were be been being am do does did doing done i me my we us our ours you your it its they them their this that these those',
    'what which who whom whose when where why how can could would should will shall may might must need to of in on at for by with from about as into',
    'if or and but not no yes there here any some much many more most very so also just only than then too please tell know want like',
    'get got have has had having let make s t d ll re ve m don doesn didn won isn aren wasn weren hasn haven hadn cannot hi hello thanks thank',
    'company firm business exporter factory ok okay go goes going went gone happen happens happened use used give offer offers provide provides available anything something thing today now',
  ]
    .join(' ')
    .split(/\s+/),
)

// A character bigram across a particle ("出了", "的货") says nothing about the topic.
const PARTICLE = /[的了吗呢吧啊么呀哦着过嘛]/
const PUNCT = /^[\s\p{P}\p{S}]+$/u
const CJK_RUN = /[\u4e00-\u9fff]+/g
const LATIN_WORD = /^[a-z]+$/
const APOSTROPHE = /[’‘`´]/g

/** One English word reduced to a shared stem, so "claims" and "claim", "countries" and "country" meet. */
export function stemLatin(word: string): string {
  if (word.length <= 3 || !LATIN_WORD.test(word)) return word
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`
  if (/(ss|us|is)$/.test(word)) return word
  if (/(sses|xes|ches|shes|zes)$/.test(word)) return word.slice(0, -2)
  if (word.endsWith('s')) return word.slice(0, -1)
  return word
}

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
  const cjkPhrases: Array<[string, string]> = []
  const latinPhrases = new Map<string, string>()
  for (const group of synonymGroups) {
    const head = stemLatin(normalize(group[0]!))
    for (const variant of group) {
      const v = normalize(variant).replace(APOSTROPHE, "'")
      // Several words or punctuation ("l/c", "issuing bank", "report a loss") are replaced before segmentation.
      if (/[^\p{L}\p{N}]/u.test(v)) {
        if (/^[a-z0-9]/.test(v)) {
          if (!latinPhrases.has(v)) latinPhrases.set(v, head)
        } else cjkPhrases.push([v, head])
        continue
      }
      const key = stemLatin(v)
      if (!canonical.has(key)) canonical.set(key, head)
    }
  }
  cjkPhrases.sort((a, b) => b[0].length - a[0].length)
  // One alternation for every English phrase, longest first and whole words only, a plural "s" allowed:
  // compiled once, one pass over the text.
  const latinAlternatives = [...latinPhrases.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp)
  const latinRe = latinAlternatives.length ? new RegExp(`(?<![a-z])(${latinAlternatives.join('|')})(?:es|s)?(?![a-z])`, 'g') : undefined
  const anyLatin = /[a-z]/

  function prepare(text: string): string {
    let t = normalize(text)
    for (const [variant, head] of cjkPhrases) if (t.includes(variant)) t = t.split(variant).join(` ${head} `)
    if (latinRe && anyLatin.test(t)) {
      t = t.replace(APOSTROPHE, "'").replace(latinRe, (_m, v: string) => ` ${latinPhrases.get(v)} `)
    }
    return t
  }

  function words(text: string): string[] {
    const out: string[] = []
    for (const token of segmenter.cut(prepare(text))) {
      let t = token.trim()
      if (!t || PUNCT.test(t) || STOPWORDS.has(t)) continue
      if (LATIN_WORD.test(t)) t = stemLatin(t)
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
