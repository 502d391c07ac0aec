import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type Reply } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { formatUsd, formatUsdWan, parseAllMoney, type MoneyAmount } from '../policy/amount.js'
import { findMonths } from '../policy/dates.js'
import { eligibilitySide, isEligible, rangeOf, usdRange, type Side } from '../policy/payout.js'
import type { Lang } from '../text/lang.js'
import { describeFigure, formatMoneyIn, formatNumber, managerAnswer, managerLineEn } from './shared.js'

const FLOW = 'eligibility'
const VERSION = 1
const ASKS = /能(不能|否)?(参加|参与|加入|享受|申请|领取?|拿到)|可以(参加|参与|加入|享受|申请|领)|可不可以(参加|领)|符合|资格|够格|够不够|有没有份|算不算统保|是不是统保|统保企业吗|谁能|哪些企业|什么企业|什么样的企业|哪类企业|适用(对象|范围)|条件/
const PAYOUT = /欠|赔|损失|货款|拖欠|不付/
// English: "Can we join?", "are we eligible", "do we qualify", "our 2020 exports were 7.5M".
const EN_ASKS =
  /(?<![a-z])(?:eligib\w*|qualif\w*|can (?:we|i|my company|our company|my firm|our firm) (?:join|participate|take part|sign up|apply|enrol+|get (?:the|this|a) (?:policy|cover))|join the (?:scheme|programme|program|policy|plan)|take part in the|who can (?:join|apply|take part)|which (?:firms|companies|exporters) (?:can|qualify))(?![a-z])/
const EN_PAYOUT = /(?<![a-z])(?:owes?|owed|unpaid|loss(?:es)?|claim\w*|payout|compensat\w*|indemnit\w*|covered|cover|bankrupt\w*|default\w*|refus\w*|risks?)(?![a-z])/
// "那如果是900万呢", "what about 7.5M?", "要是820万呢": a new figure for the same question.
const WHAT_IF = /如果|假如|要是|假设|换成|那|呢|(?<![a-z])(?:what about|what if|how about|and if|if it|if we|suppose)(?![a-z])/
const EN_YEAR = /(?<![\d,.])((?:19|20)\d{2})(?![\d,.]|\s*(?:万|亿|k|m|mn|million|billion|年))/g
const EN_RELATIVE = /(?<![a-z])(last|this) year(?![a-z])/

interface YearRef {
  year: number
  relative: boolean
}

/** "能参加统保吗": eligibility by the 2020 export threshold, asking for missing facts one at a time. */
export function createEligibilitySkill({ knowledge }: { knowledge: Knowledge }): Skill {
  const { year, maxExportsUsd } = knowledge.rules.eligibility
  const threshold = formatUsdWan(maxExportsUsd)
  const thresholdEn = `USD ${formatNumber(maxExportsUsd)}`
  const c = knowledge.contacts
  const publisher = c.listPublisher.name
  const cites = (...ids: string[]) => [...new Set(ids)].map((id) => citation(knowledge, id)).join('\n')
  const coreCite = cites(knowledge.rules.eligibility.source, c.listPublisher.source)
  const askAmount: Record<Lang, string> = {
    zh: `您公司${year}年的出口额大约是多少美元？（例如“${year}年出口500万美元”）`,
    en: `What were your company's ${year} exports in US dollars? (e.g. "${year} exports USD 5 million")`,
  }

  function rule(lang: Lang): string {
    if (lang === 'en') {
      return `The blanket policy (统保) is for Shenzhen firms whose ${year} exports were ${thresholdEn} or less (inclusive); they collect an export credit insurance policy directly from ${c.insurer.name}. ${publisher} publishes the list of firms on its website, and the list is confirmed after the public notice period.\n${coreCite}`
    }
    return `统保对象：${year}年出口额${threshold}（含）以下的深圳企业，直接向${c.insurer.name}领取出口信用保险保单；名单由${publisher}官网公示，公示期满后确认。\n${coreCite}`
  }

  function waitFor(ctx: TurnContext, step: string, data: Record<string, unknown> = {}) {
    ctx.session.flow = { name: FLOW, v: VERSION, step, data, startedAt: ctx.now }
  }

  function collect(ctx: TurnContext): string {
    const district = ctx.session.profile.district
    const phones = c.singleWindowSupport.phones.join('、')
    if (ctx.lang === 'en') {
      const offline = district ? `${managerLineEn(knowledge, district)}\n${citation(knowledge, knowledge.managers.source)}` : "contact your district's account manager (tell me your district and I'll give you the name and phone)."
      return [
        'To collect the policy, either way:',
        `1. Online: log in to the China (Shenzhen) International Trade Single Window ${c.singleWindowUrl.url} , open the export credit module and follow the steps; help line ${phones}.`,
        `2. Offline: ${offline}`,
      ].join('\n')
    }
    const offline = district ? managerAnswer(knowledge, district) : '联系所在区的客户经理（告诉我贵司在哪个区，我把客户经理电话发给您）。'
    return [
      '领取保单，两种方式任选其一：',
      `1. 线上：登录中国（深圳）国际贸易单一窗口 ${c.singleWindowUrl.url} ，进入出口信用模块按流程领取；咨询电话 ${phones}。`,
      `2. 线下：${offline}`,
    ].join('\n')
  }

  function managerOrAsk(ctx: TurnContext): string {
    const district = ctx.session.profile.district
    if (ctx.lang === 'en') return district ? `${managerLineEn(knowledge, district)}\n${citation(knowledge, knowledge.managers.source)}` : "Tell me your district and I'll give you the account manager's name and phone."
    return district ? managerAnswer(knowledge, district) : '可以告诉我贵司在哪个区，我把客户经理电话发给您。'
  }

  /** "属于800万美元（含）以下，符合统保条件。" / "…so you qualify for the blanket policy." */
  function outcome(lang: Lang, side: Exclude<Side, 'across'>, firm: boolean): string {
    if (lang === 'en') {
      if (side === 'under') return firm ? 'so you qualify for the blanket policy.' : 'so by exports you can join the blanket policy.'
      return `so ${firm ? '' : 'by exports '}you are not in this blanket policy (for firms with ${year} exports of ${thresholdEn} or less).`
    }
    if (side === 'under') return firm ? '符合统保条件。' : '按出口额看可以参加统保。'
    return `${firm ? '' : '按出口额看'}不在这次统保（${year}年出口额${threshold}及以下企业）的范围内。`
  }

  /** The verdict after its lead sentence; `firm` is false when the list (not the figure) must settle it. */
  function verdict(ctx: TurnContext, side: Exclude<Side, 'across'>, lead: string, firm: boolean): Reply[] {
    // Stay listening for "那如果是900万呢" / "what about 7.5M?".
    waitFor(ctx, 'followup')
    const en = ctx.lang === 'en'
    const final = en ? `The final say is the list published by ${publisher}.` : `最终以${publisher}官网公示确认的企业名单为准。`
    if (side === 'under') return [text(`${lead}${en ? ' ' : ''}${final}
${collect(ctx)}
${coreCite}
${citation(knowledge, c.singleWindowUrl.source)}`)]
    const other = en
      ? `For export credit insurance you can ask ${c.insurer.short}'s account manager about its other products, such as the comprehensive cover (综合险) the firm in the brief's case study took out later.`
      : `如需出口信用保险保障，可以联系${c.insurer.short}的客户经理了解其他产品，比如政策简介案例中企业后来投保的综合险。`
    return [text(`${lead}${firm ? '' : `${en ? ' ' : ''}${final}`}\n${other}\n${managerOrAsk(ctx)}\n${cites(knowledge.rules.eligibility.source, 'case-2')}`)]
  }

  /** The figure cannot settle it: say why and ask for the exact USD figure. */
  function askExact(ctx: TurnContext, why: string): Reply[] {
    waitFor(ctx, 'amount')
    const en = ctx.lang === 'en'
    const ask = en
      ? `Please tell me the exact ${year} export figure in US dollars (from your customs data or accounts) and I'll check again; in the end the list published by ${publisher} decides.`
      : `请告诉我${year}年出口额的准确美元数（可以看报关数据或财务报表），我再帮您判断；最终以${publisher}官网公示的企业名单为准。`
    return [text(`${why}\n${ask}\n${citation(knowledge, knowledge.rules.eligibility.source)}`)]
  }

  /** An exact USD (or assumed-USD) figure: the verdict, remembered for later questions when it was said in USD. */
  function decide(ctx: TurnContext, usd: number, assumedUsd = false, remembered = false): Reply[] {
    if (!assumedUsd) ctx.session.profile.exports2020Usd = usd
    const en = ctx.lang === 'en'
    const assumed = assumedUsd ? (en ? ' (read as US dollars; if it is another currency, tell me the USD figure)' : '（按美元理解；如果是人民币等其他币种，请告诉我美元金额）') : ''
    const side = isEligible(knowledge.rules, usd) ? 'under' : 'over'
    const lead = en
      ? `${remembered ? `Based on the ${formatMoneyIn('en', usd, 'USD')} you mentioned: your` : 'Your'} ${year} exports of ${formatMoneyIn('en', usd, 'USD')}${assumed} are ${side === 'under' ? `within the ${thresholdEn} threshold (inclusive)` : `above the ${thresholdEn} threshold`}, ${outcome('en', side, true)}`
      : `${remembered ? '按您前面说的，' : ''}${year}年出口额${formatUsd(usd)}${assumed}，${side === 'under' ? `属于${threshold}（含）以下` : `超过${threshold}`}，${outcome('zh', side, true)}`
    return verdict(ctx, side, lead, true)
  }

  function yearsIn(ctx: TurnContext): YearRef[] {
    const found: YearRef[] = findMonths(ctx.norm, new Date(ctx.now))
      .filter((m) => m.month === undefined || !m.relative)
      .map((m) => ({ year: m.year, relative: m.relative }))
    for (const m of ctx.norm.matchAll(EN_YEAR)) found.push({ year: Number(m[1]), relative: false })
    const rel = EN_RELATIVE.exec(ctx.norm)
    if (rel) found.push({ year: new Date(ctx.now).getUTCFullYear() + (rel[1] === 'last' ? -1 : 0), relative: true })
    return found
  }

  /** Judge from an amount the user gave, or ask what is missing. */
  function fromAmount(ctx: TurnContext, amount: MoneyAmount): Reply[] {
    const en = ctx.lang === 'en'
    const years = yearsIn(ctx)
    const named = years.find((y) => !y.relative && y.year !== year)
    if (named && !years.some((y) => !y.relative && y.year === year)) {
      waitFor(ctx, 'amount')
      return [text(en ? `Eligibility is judged on ${year} exports; the figure you gave is for ${named.year}.\n${askAmount.en}` : `统保资格按${year}年的出口额判断，您说的是${named.year}年的。\n${askAmount.zh}`)]
    }
    const shown = describeFigure(ctx.lang, { ...amount, currency: amount.currency === 'UNKNOWN' ? 'USD' : amount.currency })
    const relative = years.find((y) => y.relative)
    if (relative && relative.year !== year && (amount.currency === 'USD' || amount.currency === 'UNKNOWN') && !amount.approx) {
      waitFor(ctx, 'confirm-year', { usd: amount.value, assumed: amount.currency === 'UNKNOWN' })
      return [
        text(
          en
            ? `Eligibility is judged on ${year} exports. Is ${shown} your ${year} export figure? (reply "yes", or tell me the ${year} figure)`
            : `统保资格按${year}年的出口额判断。您说的${shown}是${year}年的出口额吗？（回复“是”，或告诉我${year}年的出口额）`,
        ),
      ]
    }

    const inUsd = amount.currency === 'USD' || amount.currency === 'UNKNOWN'
    if (inUsd && !amount.approx) return decide(ctx, amount.value, amount.currency === 'UNKNOWN')

    const range = rangeOf(amount)
    const usd = usdRange(range, amount.currency)
    const assumed = amount.currency === 'UNKNOWN' ? (en ? ' (read as US dollars)' : '（按美元理解）') : ''
    if (!usd) {
      waitFor(ctx, 'amount')
      return [
        text(
          en
            ? `The threshold is in US dollars (${year} exports of ${thresholdEn} or less), and the list published by ${publisher} decides. You gave ${amount.raw}; I don't convert currencies, so please tell me the figure in US dollars.`
            : `统保门槛按美元计（${year}年出口额${threshold}（含）以下），以${publisher}公示的名单为准。您说的是${amount.raw}，我不做汇率换算，请告诉我折合多少美元。`,
        ),
      ]
    }
    const side = eligibilitySide(knowledge.rules, usd)
    if (inUsd) {
      // An approximate USD figure: a verdict only when the whole range is on one side of the line.
      if (side !== 'across') {
        const lead = en
          ? `Your ${year} exports of ${shown}${assumed} are ${side === 'under' ? `at or under ${thresholdEn}` : `above ${thresholdEn}`} across the whole range, ${outcome('en', side, true)}`
          : `您说的${year}年出口额${shown}${assumed}，整个范围都${side === 'under' ? `在${threshold}（含）以下` : `超过${threshold}`}，${outcome('zh', side, true)}`
        return verdict(ctx, side, lead, true)
      }
      return askExact(
        ctx,
        en
          ? `Your ${year} exports of ${shown}${assumed} could be on either side of the ${thresholdEn} line: ${thresholdEn} or less qualifies, more does not, so I can't tell from an approximate figure.`
          : `您说的${year}年出口额${shown}${assumed}，可能在${threshold}上下：${threshold}（含）以下可以参加，超过则不能参加，所以按大概的数字还判断不了。`,
      )
    }
    // RMB, HKD, EUR: the line is in USD; a verdict only when no plausible rate could move the figure across it.
    const lead = en
      ? `The threshold is in US dollars (${year} exports of ${thresholdEn} or less), and the list published by ${publisher} decides. I don't convert currencies:`
      : `统保门槛按美元计（${year}年出口额${threshold}（含）以下），以${publisher}公示的名单为准。我不做汇率换算：`
    if (side === 'under' || side === 'over') {
      const sentence = en
        ? `${lead} ${shown} is well ${side === 'under' ? 'below' : 'above'} ${thresholdEn} whatever the exchange rate, ${outcome('en', side, false)}`
        : `${lead}您说的${shown}，无论按什么汇率折算，都明显${side === 'under' ? '低于' : '超过'}${threshold}，${outcome('zh', side, false)}`
      return verdict(ctx, side, sentence, false)
    }
    return askExact(
      ctx,
      en
        ? `${lead} ${shown} could be on either side of ${thresholdEn} depending on the exchange rate, so I can't tell.`
        : `${lead}您说的${shown}，按不同汇率折算可能在${threshold}上下，还判断不了。`,
    )
  }

  function isFollowUp(ctx: TurnContext): boolean {
    return WHAT_IF.test(ctx.norm) || ctx.reading.amounts.some((a) => a.role === 'exports') || ctx.norm.length <= 12
  }

  return {
    key: FLOW,
    menuLabel: '判断能否参加统保',
    flowVersion: VERSION,
    detect(ctx) {
      const norm = ctx.norm
      // "客户欠了50万，统保能全赔吗？能拿回多少" is about a loss, not about joining.
      const aboutLoss = PAYOUT.test(norm) && !/参加|参与|加入|资格|出口额|领保单|领取保单|拿到保单/.test(norm)
      if (ASKS.test(norm) && /统保|保单|参加|资格|符合|条件|企业/.test(norm) && !aboutLoss) return true
      // "How can I get the policy online?" asks how to collect it, not whether the firm may.
      const howToCollect = /\b(how|where)\b/.test(norm) && !/eligib|qualif|\bjoin\b/.test(norm)
      if (EN_ASKS.test(norm) && !EN_PAYOUT.test(norm) && !howToCollect) return true
      // "2020年出口额600万美元", "our 2020 exports were 7.5M": a figure read as the firm's exports.
      return ctx.reading.amounts.some((a) => a.role === 'exports') && !PAYOUT.test(norm) && !EN_PAYOUT.test(norm)
    },
    start: (ctx) => {
      waitFor(ctx, 'amount')
      return [text(askAmount[ctx.lang])]
    },
    handle: function checkEligibility(ctx) {
      const amount = parseAllMoney(ctx.text)[0]
      if (amount) return fromAmount(ctx, amount)
      const known = ctx.session.profile.exports2020Usd
      if (known !== undefined) return decide(ctx, known, false, true)
      waitFor(ctx, 'amount')
      return [text(`${rule(ctx.lang)}\n\n${askAmount[ctx.lang]}`)]
    },
    resume(ctx) {
      const flow = ctx.session.flow!
      const amount = parseAllMoney(ctx.text)[0]
      if (flow.step === 'followup') {
        // After a verdict only a new figure for the same question stays here; anything else is routed afresh.
        if (amount && !PAYOUT.test(ctx.norm) && !EN_PAYOUT.test(ctx.norm) && isFollowUp(ctx)) return fromAmount(ctx, amount)
        delete ctx.session.flow
        return undefined
      }
      if (amount) return fromAmount(ctx, amount)
      if (flow.step === 'confirm-year') {
        // "是的", and "好"/"ok" too: the question was whether the figure is the 2020 one.
        const yes = ctx.reading.answer ?? (ctx.reading.accepts || undefined)
        if (yes) return decide(ctx, Number(flow.data.usd), Boolean(flow.data.assumed))
        if (yes === false) {
          waitFor(ctx, 'amount')
          return [text(askAmount[ctx.lang])]
        }
      }
      if (ctx.reading.asks || ctx.norm.length > 15) {
        delete ctx.session.flow
        return undefined
      }
      return [text(ctx.lang === 'en' ? `I didn't catch an amount. ${askAmount.en}` : `没看懂这个金额。${askAmount.zh}`)]
    },
  }
}
