import { normalize } from './normalize.js'
import { trimEndOf, WHITESPACE } from './trim.js'

/*
 * Whether a message asks something rather than answering a question put to the user (a form's field, a yes/no):
 * the strict question test, by where the question words stand (a mark, 吗 at the end, a lead like 请问, a tail
 * like 是多少). The understanding stage's `asks` is the lenient one, for routing (src/understand/acts.ts).
 */

const ASK_MARK = /[?？]/
// The end marks a question may trail ("吗？！…"): trimmed by a backward scan (trimEndOf), so every "…$" pattern
// below is tested on the text without them and stays linear on long runs of marks.
const END_MARKS = `。.!！~～${WHITESPACE}`
const ASK_MARK_END = /[?？]$/
// 么 ends a question ("能赔么"), but not 这么/那么/怎么 used as adverbs at the end.
const ASK_END = /(?:吗|(?<![这那怎])么|来着)$/
const ASK_LEAD = /^(?:请问|问一下|问下|想问|我想问|顺便问|再问|另外问|先问|对了|等一下|等等|稍等)/
export const INTERROGATIVE = /怎么|如何|什么|哪|谁|为什么|为何|是否|能不能|能否|可不可以|可否|多少|多久|多长|几[天个月年号点时次]|有没有|要不要|会不会|是不是/
// A message that ends on the thing it asks: "这个要多久", "多久能办完", "理赔电话是多少", "保单号在哪里看".
const ASK_TAIL =
  /(?:(?:多久|多长时间)[^，,。]{0,5}|是多少|多少钱|多少|几天|几个月|怎么办|怎么弄|怎么填|怎么写|怎么算|怎么查|怎么看|在哪里?看?|哪里看|哪里找|哪里查|哪儿|是什么|什么意思|是谁|找谁|能赔吗|可以吗|行不行)$/
// "那宝安呢", "电话呢" ask; "还没到期呢" does not.
const NE_END = /呢$/
// "What's the number", "how long does it take" ask; "Who Cares Ltd" is a firm.
const EN_ASK =
  /^(?:what|how|when|where|who|why|which)(?:'s|’s| (?:is|are|was|were|do|does|did|can|could|should|will|would|long|much|many|about|if|happens|number|phone|kind|type|time|documents?)\b)|^(?:can|could|do|does|is|are|should|will|would|may) (?:i|we|you|it|the|this|that|my|our|there)\b/

/**
 * The message asks something rather than answering the form's question. `narrative` is for free descriptions,
 * where "不知道怎么办" inside a longer account is part of the story: only clear question marks count there.
 */
export function asksQuestion(text: string, narrative = false): boolean {
  const n = normalize(text)
  if (!n) return false
  const core = trimEndOf(n, END_MARKS)
  // In an account of events a quoted "?" mid-text ("买家说货有问题？我们不认同") is part of the story.
  const marked = narrative && n.length > 20 ? ASK_MARK_END.test(core) : ASK_MARK.test(n)
  if (marked || ASK_END.test(core) || EN_ASK.test(n)) return true
  if (ASK_LEAD.test(n) && INTERROGATIVE.test(n)) return true
  if (NE_END.test(core) && (/^(?:那|还有|那么)/.test(n) || INTERROGATIVE.test(n) || (n.length <= 5 && !/[没不还了]/.test(n)))) return true
  return ASK_TAIL.test(core) && (!narrative || n.length <= 12)
}

