/** The language a reply is written in: Chinese by default, English when the user wrote English. */
export type Lang = 'zh' | 'en'

const CJK = /[\u3400-\u9fff]/g
// Chinese grammar words: a message using any of them is written in Chinese, whatever English it quotes.
const CHINESE_GRAMMAR = /[吗呢吧么啊呀嘛的了是能可我你他们多少什怎哪谁要会在有没和给欠赔保]/
const LATIN_WORD = /[A-Za-z][A-Za-z'’-]*/g
// One English word that is a whole message in English ("hello", "thanks"); "ok" and "lc" are said in Chinese chats too.
const ENGLISH_WORD = /^(hello|hi|hey|help|menu|thanks|thank you|yes|no|sorry)[\s!.?]*$/i

/**
 * English when the message is English words with at most a Chinese place or firm name in it
 * ("Who is the manager for 宝安?"); a Chinese sentence with English words in it ("buyer欠了5万，能赔多少") is Chinese.
 */
export function detectLang(text: string): Lang {
  const cjk = text.match(CJK)?.length ?? 0
  const words = text.match(LATIN_WORD)?.length ?? 0
  if (cjk === 0) return words >= 2 || ENGLISH_WORD.test(text.trim()) ? 'en' : 'zh'
  return cjk <= 8 && words >= 3 && !CHINESE_GRAMMAR.test(text) ? 'en' : 'zh'
}
