/** The language a reply is written in: Chinese by default, English when the user wrote English. */
export type Lang = 'zh' | 'en'

const CJK = /[\u3400-\u9fff]/g
const LATIN_WORD = /[A-Za-z][A-Za-z'’-]*/g

/**
 * English when the message is English words with at most a Chinese place or firm name in it
 * ("Who is the manager for 宝安?"); a Chinese sentence with English words in it ("buyer欠了5万，能赔多少") is Chinese.
 */
export function detectLang(text: string): Lang {
  const cjk = text.match(CJK)?.length ?? 0
  const words = text.match(LATIN_WORD)?.length ?? 0
  if (cjk === 0) return words >= 2 ? 'en' : 'zh'
  return cjk <= 4 && words >= 4 ? 'en' : 'zh'
}
