import { parseMoneySpans } from '../policy/amount.js'
import type { Acts } from './acts.js'

/**
 * A fact of the policy the user states, typed: "报案是打88325713对吧" states the claims phone is 88325713;
 * "赔付比例是九成吗" states the ratio is 0.9. Checked against the knowledge by the fact check (flows/fact-check.ts),
 * so a wrong number is corrected, not left standing.
 */
export type StatedFact =
  | { kind: 'phone'; value: string; role?: PhoneRole; raw: string }
  | { kind: 'ratio'; value: number; raw: string }
  | { kind: 'cap'; value: number; raw: string }
  | { kind: 'term'; value: number; unit: 'year' | 'month'; raw: string }

/** Which phone the user means, by the words before the number. */
export type PhoneRole = 'claims' | 'singleWindow' | 'policy' | 'manager'

const PHONE = /(?<!\d)(?:0755[-\s]?)?(\d{8}|1[3-9]\d{9})(?!\d)/g
const ROLES: Array<[PhoneRole, RegExp]> = [
  ['claims', /报案|报损|理赔|索赔|出险|claim/],
  ['singleWindow', /单一窗口|线上领|网上领|single window/],
  ['manager', /客户经理|经理|account manager/],
  ['policy', /咨询|办理|热线|政策|hotline/],
]
// Loss words: "买家欠15万美元，最多赔多少" states a loss, not the cap.
const LOSS = /欠|损失|货款|拖欠|没付|不付|owe|loss|unpaid/
const CAP = /限额|封顶|上限|最多(?:能)?赔|最高(?:能)?赔|最多(?:能)?保|最高(?:能)?保|limit|cap/
const RATIO = /(?:赔付?|赔偿|保障)(?:比例|比率)?(?:是|为|有|按)?\s*(\d{1,3}(?:\.\d+)?)\s*%|(?:赔|保)(?:付|偿)?(?:比例)?(?:是|为|按)?\s*([一二三四五六七八九]|\d)\s*成/
const CN_DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
const TERM = /(?:保险期限?|保障期限?|保单期限?|有效期|保多久|保多长)(?:是|为|有|只有)?\s*(\d+(?:\.\d+)?|一|两|二|三|半)\s*(年|个月|个半月|年半)/

/** The policy facts a normalised message states (phones with the role the words around them give). */
export function findStatedFacts(norm: string, acts: Acts): StatedFact[] {
  const found: StatedFact[] = []
  for (const m of norm.matchAll(PHONE)) {
    // The words before the number name it ("理赔电话是…"); else the few right after ("打88325713报案").
    const before = norm.slice(Math.max(0, m.index - 14), m.index)
    const after = norm.slice(m.index + m[0].length, m.index + m[0].length + 6)
    const role = ROLES.find(([, re]) => re.test(before))?.[0] ?? ROLES.find(([, re]) => re.test(after))?.[0]
    found.push({ kind: 'phone', value: m[1]!, raw: m[0], ...(role ? { role } : {}) })
  }
  const ratio = RATIO.exec(norm)
  if (ratio) {
    const value = ratio[1] !== undefined ? Number(ratio[1]) / 100 : (CN_DIGIT[ratio[2]!] ?? Number(ratio[2])) / 10
    found.push({ kind: 'ratio', value, raw: ratio[0] })
  }
  const term = TERM.exec(norm)
  if (term) {
    const n = term[1] === '半' ? 0.5 : term[1] === '一' ? 1 : term[1] === '两' || term[1] === '二' ? 2 : term[1] === '三' ? 3 : Number(term[1])
    const value = term[2] === '年半' || term[2] === '个半月' ? n + 0.5 : n
    found.push({ kind: 'term', value, unit: term[2]!.includes('月') ? 'month' : 'year', raw: term[0] })
  }
  // A cap the user quotes: the amount stands right after (or before) the cap's words, and no loss is described.
  if (CAP.test(norm) && !LOSS.test(norm) && acts.asks(norm)) {
    for (const span of parseMoneySpans(norm)) {
      const near = norm.slice(Math.max(0, span.start - 10), span.end + 6)
      if (CAP.test(near) && (span.currency === 'USD' || span.currency === 'UNKNOWN')) found.push({ kind: 'cap', value: span.value, raw: span.raw })
    }
  }
  return found
}
