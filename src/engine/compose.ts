import type { Reply } from './types.js'
import { text } from './types.js'

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
