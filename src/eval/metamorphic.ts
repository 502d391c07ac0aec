import * as OpenCC from 'opencc-js'
import type { Bot } from '../bot.js'

/*
 * Metamorphic evaluation: a few base cases whose verdict is known (eligible or not, a payout figure, covered or
 * not, a manager, a policy fact), each asked again in wordings that must not change the verdict — particles,
 * currency words and number formats, WeChat politeness, a hotline clerk's voice, traditional characters and
 * typos, a voice transcript, the fact given in an earlier turn, a correction, English. The rate per kind of
 * wording says where understanding breaks, better than one more golden sentence would.
 */

type Verdict = (answer: string) => boolean

const eligible: Verdict = (a) => /符合统保条件|按出口额看可以参加统保|you qualify|by exports you can join/.test(a) && !/不在这次统保|not in this blanket/.test(a)
const ineligible: Verdict = (a) => /不在这次统保|not in this blanket policy/.test(a)
const covered: Verdict = (a) => /结论：属于统保保障范围|Conclusion: covered/.test(a)
const notCovered: Verdict = (a) => /不在承保期间|可能不在统保保障范围|probably not covered|outside the cover period/.test(a) && !covered(a)
const says =
  (...facts: string[]): Verdict =>
  (a) =>
    facts.every((f) => a.replace(/,/g, '').includes(f.replace(/,/g, '')))

export interface BaseCase {
  id: string
  /** The question as a user would first put it (Chinese, simplified, punctuated). */
  q: string
  verdict: Verdict
  /** What the verdict is, for the report. */
  expect: string
  /** The same, with its fact said in an earlier turn: [statement, question]. */
  split?: [string, string]
  /** A wrong fact first, then the correction with the question. */
  correction?: [string, string]
  /** The same in English. */
  english?: string
}

/** The base cases: each kind of verdict the rules give, at and around its edges. */
export const BASE_CASES: BaseCase[] = [
  { id: 'elig-under', q: '我们2020年出口额500万美元，能参加统保吗？', verdict: eligible, expect: 'eligible', split: ['我们2020年出口额500万美元。', '能参加统保吗？'], correction: ['我们2020年出口额900万美元。', '不对不对，是500万美元，能参加统保吗？'], english: 'Our 2020 exports were USD 5 million, can we join the blanket policy?' },
  { id: 'elig-at', q: '我们2020年出口额800万美元，能参加统保吗？', verdict: eligible, expect: 'eligible (inclusive)', split: ['我们2020年出口额800万美元。', '能参加统保吗？'], english: 'Our 2020 exports were exactly USD 8 million. Can we join?' },
  { id: 'elig-over', q: '我们2020年出口额900万美元，能参加统保吗？', verdict: ineligible, expect: 'not eligible', split: ['我们2020年出口额900万美元。', '能参加统保吗？'], correction: ['我们2020年出口额500万美元。', '搞错了，其实是900万美元，能参加统保吗？'], english: 'Our 2020 exports were USD 9 million. Can we join?' },
  { id: 'elig-over-words', q: '我们2020年出口额超过800万美元，能参加统保吗？', verdict: ineligible, expect: 'not eligible', english: 'Our 2020 exports were more than USD 8 million. Can we join?' },
  { id: 'payout-under-cap', q: '买家欠了我们10万美元，能赔多少？', verdict: says('80,000'), expect: '80,000', split: ['买家欠了我们10万美元。', '能赔多少？'], correction: ['买家欠了我们30万美元，能赔多少？', '更正一下，是10万美元'], english: 'The buyer owes us USD 100,000. How much can we get back?' },
  { id: 'payout-over-cap', q: '买家欠了我们30万美元，能赔多少？', verdict: says('150,000'), expect: '150,000 (cap)', split: ['买家欠了我们30万美元。', '能赔多少？'], english: 'The buyer owes us USD 300,000. How much can we get back?' },
  { id: 'payout-same-buyer', q: '同一个买家两票货，分别欠10万美元和10万美元，能赔多少？', verdict: says('150,000'), expect: '150,000 (one buyer, summed, capped)' },
  { id: 'payout-bank', q: '信用证开证行倒闭了，损失12万美元，能赔多少？', verdict: says('96,000'), expect: '96,000 (issuing bank)' },
  { id: 'payout-repaid', q: '买家总共欠12万美元，后来还了6万美元，能赔多少？', verdict: says('48,000'), expect: '48,000 (unpaid part)' },
  { id: 'cover-in', q: '2021年3月以我们公司名义签约报关出口的货，买家破产了，能赔吗？', verdict: covered, expect: 'covered', split: ['我们2021年3月以自己公司名义签约报关出口了一批货，买家破产了。', '能赔吗？'], correction: ['2022年7月以我们公司名义签约报关的货，买家破产了，能赔吗？', '说错了，是2021年3月报关的'], english: 'We signed the contract and declared the goods in our own name in March 2021; the buyer went bankrupt. Are we covered?' },
  { id: 'cover-last-month', q: '2022年6月以我们公司名义签约报关的货，买家破产了，能赔吗？', verdict: covered, expect: 'covered (last month)' },
  { id: 'cover-after', q: '2022年7月以我们公司名义签约报关的货，买家破产了，能赔吗？', verdict: notCovered, expect: 'not covered (after the period)', correction: ['2021年3月以我们公司名义签约报关的货，买家破产了，能赔吗？', '不对，是2022年7月报关的'], english: 'Goods declared in July 2022, the buyer went bankrupt. Can we claim?' },
  { id: 'route-district', q: '宝安区的客户经理是谁？', verdict: says('吕宇翔'), expect: '吕宇翔', correction: ['龙华区的客户经理是谁？', '搞错了，我们其实在宝安区'], english: "Who is the account manager for Bao'an?" },
  { id: 'route-street', q: '我们在沙井，客户经理是谁？', verdict: says('吕宇翔'), expect: '吕宇翔 (by street)', split: ['我们公司在沙井。', '客户经理是谁？'] },
  { id: 'fact-ratio', q: '赔付比例是多少？', verdict: says('80%'), expect: '80%', english: 'What share of the loss is paid?' },
]

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' })
const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九']

/** 1–999 in Chinese numerals ("五百", "十二", "三十"). */
function chineseNumeral(n: number): string {
  const h = Math.floor(n / 100)
  const t = Math.floor((n % 100) / 10)
  const u = n % 10
  let s = h ? `${CN_DIGITS[h]}百` : ''
  if (t) s += h || t > 1 ? `${CN_DIGITS[t]}十` : '十'
  else if (h && u) s += '零'
  if (u) s += CN_DIGITS[u]
  return s
}

/** A way of rewording a question that keeps its meaning; undefined when it does not apply. */
export interface Transform {
  name: string
  apply(c: BaseCase): string[] | undefined
}

const wan = /(\d+)万美元/g
const onlyIfChanged = (q: string, next: string) => (next === q ? undefined : [next])

/** The kinds of rewording, each applied to every base case it fits. */
export const TRANSFORMS: Transform[] = [
  { name: 'as is', apply: (c) => [c.q] },
  {
    name: 'particles',
    apply: (c) => onlyIfChanged(c.q, c.q.replace(/超过/g, '超过了').replace(/欠了我们/g, '欠了我们').replace(/出口额(\d)/g, '出口额是$1').replace(/[？?]$/, '啊？')),
  },
  { name: 'currency 美金', apply: (c) => onlyIfChanged(c.q, c.q.replace(/美元/g, '美金')) },
  { name: 'currency 刀/USD', apply: (c) => onlyIfChanged(c.q, c.q.replace(/(\d+)万美元/g, (_, n: string) => `${n}万刀`)) },
  { name: 'digits 8,000,000', apply: (c) => onlyIfChanged(c.q, c.q.replace(wan, (_, n: string) => `${(Number(n) * 10_000).toLocaleString('en-US')}美元`)) },
  { name: 'numerals 八百万', apply: (c) => onlyIfChanged(c.q, c.q.replace(wan, (_, n: string) => `${chineseNumeral(Number(n))}万美元`)) },
  { name: 'WeChat politeness', apply: (c) => [`亲，在吗？请问一下哈，${c.q.replace(/[？?]$/, '')}呢？🙏`] },
  { name: 'staff voice', apply: (c) => [`客户问：${c.q}`, `来电企业说，${c.q.replace(/我们/g, '他们')}`] },
  { name: 'traditional', apply: (c) => onlyIfChanged(c.q, toTraditional(c.q)) },
  { name: 'typos', apply: (c) => onlyIfChanged(c.q, c.q.replace(/赔付/g, '陪付').replace(/比例/g, '比列').replace(/能赔/g, '能陪')) },
  { name: 'voice transcript', apply: (c) => [`嗯 那个 ${c.q.replace(/[，。？！,.?!]/g, ' ').trim()} 就是这样`] },
  { name: 'earlier turn', apply: (c) => (c.split ? [c.split.join('\u0000')] : undefined) },
  { name: 'correction', apply: (c) => (c.correction ? [c.correction.join('\u0000')] : undefined) },
  { name: 'English', apply: (c) => (c.english ? [c.english] : undefined) },
]

export interface MetamorphicFailure {
  transform: string
  base: string
  asked: string
  expect: string
  answer: string
}

export interface MetamorphicResult {
  /** Per transformation: cases passed and tried. */
  rates: Map<string, { ok: number; total: number }>
  failures: MetamorphicFailure[]
}

/** Ask every base case in every wording (a new user each time); count where the verdict holds. */
export async function runMetamorphic(bot: Bot, cases: BaseCase[] = BASE_CASES, transforms: Transform[] = TRANSFORMS): Promise<MetamorphicResult> {
  const rates = new Map<string, { ok: number; total: number }>()
  const failures: MetamorphicFailure[] = []
  let n = 0
  for (const t of transforms) {
    const tally = { ok: 0, total: 0 }
    for (const c of cases) {
      for (const asked of t.apply(c) ?? []) {
        const userId = `metamorphic-${n++}`
        let answer = ''
        // Turns of one conversation are joined by NUL: the verdict is read off the last answer.
        for (const turn of asked.split('\u0000')) {
          answer = (await bot.engine.handle({ channel: 'cli', userId, text: turn })).map((r) => r.text).join('\n')
        }
        tally.total++
        if (c.verdict(answer)) tally.ok++
        else failures.push({ transform: t.name, base: c.id, asked: asked.replace(/\u0000/g, ' ⏎ '), expect: c.expect, answer })
      }
    }
    rates.set(t.name, tally)
  }
  return { rates, failures }
}
