import type { Reply } from './types.js'
import { text } from './types.js'

/** "那宝安呢", "如果是信用证呢", "还有别的办法吗", "what about Nanshan?": a message that leans on the last answer. */
export const ELLIPTICAL =
  /^(那|那么|如果|要是|假如|假设|若|换成|换做|还有|另外|那要是|what about|how about|and if|what if|if |and |also )|呢[\s?？!！。.~]*$/

/**
 * "不对，是600万美元", "搞错了，我们其实在光明", "sorry, actually 7.5M": a correction of what the last answer was built
 * on. It leans on the last answer like an elliptical question: that topic answers again with the corrected fact
 * (the facts observer has already written it over the old one).
 */
export const CORRECTION =
  /^(?:[嗯啊哦噢呃]\s*[,，]?\s*)?(?:不对不对|不对|不是的?|错了|说错了?|讲错了?|搞错了?|弄错了?|看错了?|写错了?|打错了?|记错了?|更正一?下?|纠正一?下?|改一下|其实|准确地?说|唔系|唔好意思|(?<![a-z])(?:sorry|actually|correction|i mean|no wait|wait)(?![a-z]))/

export interface Clause {
  text: string
  /** Ended with a question mark. */
  asked: boolean
  /** One of the questions of "X和Y分别是多少": answered on its own, even by the skill that answers the other. */
  separate?: boolean
}

// "理赔电话和单一窗口支持电话分别是多少", "南山和宝安的客户经理分别是谁": two questions sharing their predicate.
// X and Y are names of things (no figures, no punctuation: "两个买家分别欠6万和7万" is a statement of amounts), and
// what follows asks something.
const RESPECTIVELY = /^([^，,。；;\d]{1,24}?)(?:和|与|跟|以及|还有|及|、)([^，,。；;\d]{1,32}?)(?:分别|各自|各)(是|有|在|为|要)?([^，,。；;\d]{0,16}(?:多少|谁|什么|哪|几|怎么|如何|吗|呢)[^，,。；;\d]{0,6})$/

/**
 * "X和Y分别是多少" as the two questions it asks: "X是多少", "Y是多少". A head noun said once after Y ("南山和宝安的客户经理")
 * is given to X too ("南山的客户经理"). Anything else: the clause as it is.
 */
export function respectively(clause: Clause): Clause[] {
  const m = RESPECTIVELY.exec(clause.text)
  if (!m) return [clause]
  const [, x, y, verb = '', tail] = m
  const head = y!.includes('的') && !x!.includes('的') ? y!.slice(y!.lastIndexOf('的')) : ''
  return [`${x}${head}${verb}${tail}`, `${y}${verb}${tail}`].map((text) => ({ text, asked: true, separate: true }))
}

/**
 * Clauses of a message, split where a question or sentence ends ("能参加吗？找谁办？") or at a space between Chinese
 * phrases; commas keep a clause together.
 */
export function clauses(message: string): Clause[] {
  // On WeChat a space between two Chinese phrases often stands for the punctuation: "保险期限多长 出险了打哪个电话".
  const text = message.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '\n')
  return [...text.matchAll(/([^？?！!。；;\n]+)([？?！!。；;\n]*)/g)]
    .map((m) => ({ text: m[1]!.trim(), asked: /[？?]/.test(m[2]!) }))
    .filter((c) => /[\p{L}\p{N}]/u.test(c.text))
}

/*
 * A clause that only greets, checks someone is there, thanks or softens ("亲，在吗", "你好", "请问一下哈", "谢谢",
 * an emoji): a dialogue act, not a question to answer. Before a real question it is dropped, so "在吗？" is not
 * answered "没有找到确切答案" ahead of the answer the user wanted.
 */
const PHATIC = /^(?:亲爱的|亲|您好|你好|哈喽|嗨|(?<![a-z])(?:hi|hello|hey)(?![a-z])|在吗|在不在|有人吗|有人在吗|请问(?:一下)?|想问(?:一下)?|问一下|麻烦(?:一下|问一下|您)?|打扰(?:一下|了)?|谢谢|多谢|感谢|辛苦了?|老师|客服|小助手|哈|呢|啊|呀|嗯|哦|噢|呵呵|哈哈|[,，~～\s.。!！]|\p{Extended_Pictographic})+$/iu

/** Whether a clause is only a greeting, a check-in, thanks or politeness. */
export function isPhatic(clause: string): boolean {
  return PHATIC.test(clause.trim())
}

const SOURCE = /^(来源：|Source: )/
const MORE = /详细一点|more detail/i

/**
 * Several answers to one message, as one reply: in the order given, without lines an earlier part already said
 * (the same manager line from the eligibility and the manager answer), with every source line once at the end.
 */
export function mergeAnswers(answers: Reply[][]): Reply[] {
  const seen = new Set<string>()
  const sources: string[] = []
  let more: string | undefined
  const blocks: string[] = []
  // A line already said, or said inside a longer line ("2. 线下：宝安区的客户经理：吕宇翔 …").
  const said = (t: string) => seen.has(t) || (t.length >= 8 && [...seen].some((s) => s.includes(t)))
  for (const replies of answers) {
    const lines: string[] = []
    for (const line of replies.flatMap((r) => r.text.split('\n'))) {
      const t = line.trim()
      if (SOURCE.test(t)) {
        if (!sources.includes(t)) sources.push(t)
      } else if (MORE.test(t) && t.length < 30) {
        more = t
      } else if (!t) {
        lines.push('')
      } else if (!said(t)) {
        seen.add(t)
        lines.push(line)
      }
    }
    const block = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()
    // Only a note left ("（按您前面说的宝安区查询）"): an earlier part already gave this answer.
    if (block && !/^[（(][^\n]*[）)]$/.test(block)) blocks.push(block)
  }
  return [text([blocks.join('\n\n'), sources.join('\n'), more].filter(Boolean).join('\n\n'))]
}
