import type { Reply } from './types.js'
import { text } from './types.js'

/** "那宝安呢", "如果是信用证呢", "还有别的办法吗", "what about Nanshan?": a message that leans on the last answer. */
export const ELLIPTICAL =
  /^(那|那么|如果|要是|假如|假设|若|换成|换做|还有|另外|那要是|what about|how about|and if|what if|if |and |also )|呢[\s?？!！。.~]*$/

export interface Clause {
  text: string
  /** Ended with a question mark. */
  asked: boolean
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
