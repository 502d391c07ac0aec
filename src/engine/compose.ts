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

const CITED = /^来源：《([^》]+)》(.+)$/

/**
 * The source lines of one reply as one line: "来源：《简介》二（三）1. 保障范围；二（三）2. 保障风险种类", where the
 * last one stood. On a phone several lines of the same document title are noise between the answer and what follows.
 */
export function oneSourceLine(reply: string): string {
  const lines = reply.split('\n')
  const cited = lines.map((l) => CITED.exec(l.trim())).filter((m): m is RegExpExecArray => !!m)
  if (cited.length < 2 || cited.some((m) => m[1] !== cited[0]![1])) return reply
  const titles = [...new Set(cited.map((m) => m[2]!.trim()))]
  const combined = `来源：《${cited[0]![1]}》${titles.join('；')}`
  // Where the last one stood: after every part of the answer, before "回复“详细一点”…".
  const last = lines.findLastIndex((l) => CITED.test(l.trim()))
  const out = lines.flatMap((l, i) => (i === last ? [combined] : CITED.test(l.trim()) ? [] : [l]))
  return out.join('\n').replace(/\n{3,}/g, '\n\n')
}
