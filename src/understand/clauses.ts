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
export function splitClauses(message: string): Clause[] {
  // On WeChat a space between two Chinese phrases often stands for the punctuation: "保险期限多长 出险了打哪个电话".
  const text = message.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '\n')
  return [...text.matchAll(/([^？?！!。；;\n]+)([？?！!。；;\n]*)/g)]
    .map((m) => ({ text: m[1]!.trim(), asked: /[？?]/.test(m[2]!) }))
    .filter((c) => /[\p{L}\p{N}]/u.test(c.text))
}

