import type { Segmenter } from './segmenter.js'

/**
 * The segmenter for runtimes without the native jieba module (Cloudflare Workers): the domain dictionary first,
 * longest word wins, and `Intl.Segmenter` (ICU's dictionary word break) for the text between domain words.
 * Same input as createJiebaSegmenter: the user dictionary, one "词 [词性]" a line.
 */
export function createIntlSegmenter(userDictionary: string): Segmenter {
  const words = new Set<string>()
  let longest = 0
  for (const line of userDictionary.split(/\r?\n/)) {
    const word = line.trim().split(/\s+/)[0]
    if (!word || word.startsWith('#')) continue
    words.add(word)
    longest = Math.max(longest, word.length)
  }
  const icu = new Intl.Segmenter('zh', { granularity: 'word' })
  const rest = (text: string, out: string[]) => {
    for (const s of icu.segment(text)) out.push(s.segment)
  }

  return {
    cut: function intlCut(text) {
      const out: string[] = []
      let from = 0
      let i = 0
      // Forward maximum matching on the domain words; a domain term ("出口信用保险", "单一买方") stays whole even
      // where ICU's general dictionary would split it.
      while (i < text.length) {
        let hit = 0
        for (let len = Math.min(longest, text.length - i); len >= 2; len--) {
          if (words.has(text.slice(i, i + len))) {
            hit = len
            break
          }
        }
        if (!hit) {
          i++
          continue
        }
        if (from < i) rest(text.slice(from, i), out)
        out.push(text.slice(i, i + hit))
        i += hit
        from = i
      }
      if (from < text.length) rest(text.slice(from), out)
      return out
    },
  }
}
