import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type LossGroup, type Reply } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { formatUsdWan, parseAllMoney, type Currency } from '../policy/amount.js'
import { continuesLastParty, figureOf, readLosses, updateLosses, type Grouping, type LossAmount } from '../policy/losses.js'
import { estimateGroup, estimatePayout, isExact, type GroupEstimate, type Range } from '../policy/payout.js'
import type { Lang } from '../text/lang.js'
import { describeFigure, formatMoneyIn, formatNumber, formatRangeIn, formatSumIn } from './shared.js'

const ABOUT_PAYOUT = /赔|补偿|能拿回|拿回多少|报销/
const LOSS = /欠|拖欠|损失|坏账|没付|不付|未付|拒付|收不回|没收到|没收回|逾期|跑路|破产|倒闭/
const ASKS_RULE = /赔多少|赔几成|几成|比例|最多|限额|上限|封顶|全赔|全额|按比例|怎么算|怎么赔|赔付标准|能拿回多少/
// The limit asked about per party: "限额是按每个买家算吗", "几票货合计还是分开算".
const LIMIT_WORDS = /限额|上限|封顶/
const PER_PARTY = /买方|买家|客户|开证行|银行|信用证|每个|每家|每票|每笔|分开|分别|合并|合计|累计|总共|一起/
const EXPORTS = /出口额|出口金额|外贸额/
// "那能赔多少", "how much would we get": asks for the amount, not the rule.
const ASKS_AMOUNT = /能赔多少|可以赔多少|赔多少|能拿回多少|拿回多少|能赔几多|赔付多少|赔款多少|有多少赔|(?<![a-z])(?:how much (?:can|could|would|will|do|did|should) (?:we|i|you) (?:get|recover|claim|receive|be paid|get back)|what(?:'s| is| would be) the payout|how much (?:is|will be|would be) (?:paid|covered|compensated))/
const RULE_ONLY = /比例|几成|限额|上限|封顶|怎么算|赔付标准|(?<![a-z])(?:ratio|percent(?:age)?|limit|cap|maximum)(?![a-z])/
// "如果是信用证呢", "用L/C的话", "what if it was an L/C".
const SAME_PARTY = /同一(?:个|家|位)?(?:买方|买家|客户|开证行|银行)?|是一个(?:买方|买家|客户)|(?<![a-z])(?:same (?:buyer|customer|bank)|one buyer)(?![a-z])/
const DIFFERENT_PARTIES = /不同(?:的)?(?:买方|买家|客户|开证行|银行)|不是同一|分开算|(?<![a-z])(?:different (?:buyers|customers|banks)|separate buyers)(?![a-z])/
// English wording of the same questions.
const EN_PAYOUT =
  /(?<![a-z])(?:payout|pay out|paid out|indemnit\w*|compensat\w*|reimburs\w*|get (?:it |the money |anything )?back|recover\w*|how much (?:can|could|would|will|do|did|should) (?:we|i|you) (?:get|recover|claim|receive|be paid)|per (?:buyer|bank|customer)|(?:the )?(?:limit|cap|maximum)|ratio|percent(?:age)?)(?![a-z])/
const EN_LOSS = /(?<![a-z])(?:owes?|owed|owing|unpaid|outstanding|overdue|defaulted|bad debts?|loss(?:es)?|didn'?t pay|did not pay|not paid|hasn'?t paid|haven'?t paid|won'?t pay|refused to pay)(?![a-z])/
const EN_EXPORTS = /(?<![a-z])(?:exports?|exported|turnover)(?![a-z])/
const EN_RULE_TOPIC = /(?<![a-z])(?:payout|limit|cap|ratio|percent(?:age)?|per (?:buyer|bank|customer)|compensat\w*|indemnit\w*|how much (?:can|could|would|will) (?:we|i) (?:get|recover|claim|receive))(?![a-z])/
// "那B呢", "买方2的呢", "what about buyer B": one party of the last estimate, by its letter or number.
const ONE_PARTY = /^(?:那|那么|那如果是|如果是|what about|how about|and)?\s*(?:买方|买家|客户|buyer|customer)?\s*([a-z]|[甲乙丙丁]|\d{1,2})\s*(?:公司|买方|买家|客户)?\s*(?:呢|的呢|的|能赔多少|可以赔多少|赔多少)?[?？。.!！\s]*$/
const FLOW = 'payout'
const VERSION = 1

interface Options {
  grouping?: Grouping
  /** Losses told earlier and reused here (said so in the answer). */
  remembered?: boolean
  /** Groups added by this message to the remembered ones. */
  added?: boolean
  /** The user asked what changes if it was an L/C. */
  lcSwitch?: boolean
  /** The losses as the user told them, when the groups shown differ (buyers become banks). */
  told?: LossGroup[]
}

/** "买家欠了10万美元能赔多少": 80 % of each buyer's (or bank's) loss, summed per party and capped once, arithmetic shown. */
export function createPayoutSkill({ knowledge, reportHint }: { knowledge: Knowledge; reportHint: string }): Skill {
  const { ratio, limitPerBuyerUsd, source } = knowledge.rules.indemnity
  const pct = `${Math.round(ratio * 100)}%`
  const limit = formatUsdWan(limitPerBuyerUsd)
  const limitEn = `USD ${formatNumber(limitPerBuyerUsd)}`
  const cite = citation(knowledge, source)
  const claimsPhone = knowledge.contacts.claimsHotline.phones.join(' / ')
  const footer: Record<Lang, string> = {
    zh: `以上为估算，实际以正式保单约定和理赔审核为准。\n${reportHint}\n${cite}`,
    en: `This is an estimate; the formal policy and the claim review decide. If you have a loss or an overdue payment, report it at once: reply "报损" to report it here, or call the claims hotline ${claimsPhone}.\n${cite}`,
  }

  function rule(lang: Lang, lead = ''): Reply[] {
    const example = estimatePayout(knowledge.rules, [100_000]).buyers[0]!
    if (lang === 'en') {
      return [
        text(
          `${lead}The blanket policy pays ${pct} of the export loss, up to ${limitEn} per buyer, or per issuing bank for a letter of credit (subject to the formal policy). Several shipments, invoices or L/Cs against the same buyer or bank are added up and capped once; each different buyer or bank has its own limit.\nFor example, a loss of USD ${formatNumber(example.loss)} pays about USD ${formatNumber(example.paid)}. Tell me the loss and I'll work it out.\n${cite}`,
        ),
      ]
    }
    return [
      text(
        `${lead}统保按出口损失金额的${pct}赔付，单一买方（或开证行）责任限额${limit}（以正式保单约定为准）。同一买方（或同一开证行）的几票货、几张发票或几张信用证先合计，只按一个限额计算；不同买方分别计算。\n例如损失${formatMoneyIn('zh', example.loss, 'USD')}，可赔约${formatMoneyIn('zh', example.paid, 'USD')}。告诉我损失金额，我帮您算。\n${cite}`,
      ),
    ]
  }

  /** "买方A", "买方2", "开证行1"; undefined for a lone unnamed party with one amount. */
  function label(lang: Lang, g: LossGroup, i: number, count: number): string | undefined {
    if (g.name) return g.name
    const bank = g.party === 'bank'
    if (count > 1) return lang === 'zh' ? `${bank ? '开证行' : '买方'}${i + 1}` : `${bank ? 'Bank' : 'Buyer'} ${i + 1}`
    if (g.amounts.length > 1) return lang === 'zh' ? `同一${bank ? '开证行' : '买方'}合计` : `Same ${bank ? 'bank' : 'buyer'}, added up`
    return bank ? (lang === 'zh' ? '开证行' : 'Issuing bank') : undefined
  }

  /** One group's line: the amounts added up, × ratio, and what the limit does. */
  function groupLine(lang: Lang, g: LossGroup, e: GroupEstimate, who: string | undefined): string {
    const zh = lang === 'zh'
    const party = g.party === 'bank' ? (zh ? '单一开证行限额' : 'per-bank limit') : zh ? '单一买方限额' : 'per-buyer limit'
    const head = who ? `${who}${zh ? '：' : ': '}` : ''
    // Figures said without a currency are read as USD (and the answer says so).
    const figures = g.amounts.map(figureOf).map((f) => (f.currency === 'UNKNOWN' ? { ...f, currency: 'USD' as const } : f))
    const cur: Currency = e.currency === 'UNKNOWN' ? 'USD' : (e.currency ?? 'OTHER')
    const money = (r: Range) => formatRangeIn(lang, r, cur)
    const exact = figures.every((f) => !f.approx)
    let loss: string
    const paidBack = g.amounts.length === 1 ? (g.amounts[0] as LossAmount) : undefined
    // Part paid back: say how it was read ("120,000 − 已还60,000 = 60,000美元"), so a misreading can be corrected.
    if (paidBack?.owed !== undefined && paidBack.repaid !== undefined) {
      loss = zh
        ? `${formatNumber(paidBack.owed)} − 已还${formatNumber(paidBack.repaid)} = ${describeFigure(lang, figures[0]!)}`
        : `${formatNumber(paidBack.owed)} − ${formatNumber(paidBack.repaid)} repaid = ${describeFigure(lang, figures[0]!)}`
    } else if (figures.length === 1) loss = describeFigure(lang, figures[0]!)
    else if (e.currency && exact) loss = `${g.amounts.map((a) => formatNumber(a.value)).join('+')} = ${money(e.loss)}`
    else if (e.currency) loss = `${figures.map((f) => (f.approx ? formatRangeIn(lang, { ...f.approx }, cur) : formatNumber(f.value))).join(' + ')} = ${money(e.loss)}`
    else loss = figures.map((f) => describeFigure(lang, f)).join(' + ')
    const lossPart = `${head}${zh ? '损失' : head ? 'loss ' : 'Loss '}${loss}`

    if (!e.share) {
      // Several currencies against one party: each at the ratio; the limit only after conversion.
      const parts = figures.map((f) => `${formatMoneyIn(lang, f.value, f.currency)} × ${pct} = ${formatMoneyIn(lang, Math.round(f.value * ratio * 100) / 100, f.currency)}`)
      return `${lossPart}${zh ? '，分别：' : '; each: '}${parts.join(zh ? '；' : '; ')}${zh ? '；' : '; '}${capAfterConversion(lang, e, party)}`
    }
    const share = `${lossPart} × ${pct} = ${money(e.share)}`
    if (e.currency === 'USD' || e.currency === 'UNKNOWN') {
      if (isExact(e.share)) {
        return e.cap === 'binds' ? `${share}${zh ? `，超过${party}，按${formatMoneyIn(lang, limitPerBuyerUsd, 'USD')}计` : `, above the ${party}, so ${limitEn}`}` : share
      }
      if (e.cap === 'binds') return `${share}${zh ? `，整个范围都超过${party}，按${formatMoneyIn(lang, limitPerBuyerUsd, 'USD')}计` : `; the whole range is above the ${party}, so ${limitEn}`}`
      if (e.cap === 'free') {
        // Under the limit whatever the exact figure: the figure as said gives the estimate people expect.
        const point = formatMoneyIn(lang, Math.round(figures.reduce((a, f) => a + f.value, 0) * ratio * 100) / 100, 'USD')
        return `${share}${zh ? `，在${party}${limit}以内；按您说的数算约${point}` : `, within the ${party} of ${limitEn}; about ${point} on the figure you gave`}`
      }
      return zh
        ? `${share}，可能超过也可能不超过${party}${limit}；只有整个范围都超过限额时才一定按限额赔付，告诉我准确金额可以算得更准`
        : `${share}; that may or may not exceed the ${party} of ${limitEn}; the limit certainly applies only when the whole range is above it. Tell me the exact amount for a firmer figure`
    }
    return `${share}${zh ? '；' : '; '}${capAfterConversion(lang, e, party)}`
  }

  /** For a loss in HKD, EUR, RMB…: the USD limit applies after conversion at the formal policy's rate. */
  function capAfterConversion(lang: Lang, e: GroupEstimate, party: string): string {
    const zh = lang === 'zh'
    const base = zh
      ? `${party}按美元计（${limit}），按正式保单约定的汇率折算后适用（我不做汇率换算）`
      : `the ${party} of ${limitEn} applies after conversion at the rate set by the formal policy (I don't convert currencies)`
    if (e.cap === 'binds') return zh ? `${base}。无论按什么汇率折算，这笔都明显超过限额，限额会起作用：最多赔${formatMoneyIn('zh', limitPerBuyerUsd, 'USD')}` : `${base}. At any plausible rate this is well above the limit, so the limit will apply: at most ${limitEn}`
    if (e.cap === 'free') return zh ? `${base}。无论按什么汇率折算，这笔都低于限额，限额不起作用` : `${base}. At any plausible rate this stays under the limit, so the limit makes no difference`
    if (e.cap === 'maybe') return zh ? `${base}。折算后可能接近或超过限额，以正式保单约定的汇率为准` : `${base}. After conversion it may reach the limit; the formal policy's rate decides`
    return base
  }

  /** The remembered losses in a few words: "A客户 60,000+70,000美元、B客户 80,000美元". */
  function summary(lang: Lang, groups: LossGroup[]): string {
    const parts = groups.map((g, i) => {
      const who = label(lang, g, i, groups.length)
      const figures = g.amounts.map(figureOf).map((f) => (f.currency === 'UNKNOWN' ? { ...f, currency: 'USD' as const } : f))
      const oneCurrency = figures.every((f) => !f.approx && f.currency === figures[0]!.currency)
      const amounts =
        oneCurrency && figures.length > 1
          ? formatSumIn(lang, figures.map((f) => f.value), figures[0]!.currency)
          : figures.map((f) => describeFigure(lang, f)).join('+')
      return who && (groups.length > 1 || g.name) ? `${who} ${amounts}` : amounts
    })
    return parts.join(lang === 'zh' ? '、' : ', ')
  }

  /** The same losses owed by the issuing banks instead ("如果是信用证呢"): one bank per former buyer. */
  function asBanks(lang: Lang, groups: LossGroup[]): LossGroup[] {
    return groups.map((g) => ({
      party: 'bank' as const,
      ...(g.name && g.party === 'buyer' ? { name: lang === 'zh' ? `${g.name}的开证行` : `${g.name}'s bank` } : g.name ? { name: g.name } : {}),
      amounts: g.amounts,
    }))
  }

  /** The estimate for every group; records the groups as the conversation's losses. */
  function estimate(ctx: TurnContext, groups: LossGroup[], opts: Options = {}): Reply[] {
    const lang = ctx.lang
    const zh = lang === 'zh'
    remember(ctx, groups)
    const estimates = groups.map((g) => estimateGroup(knowledge.rules, g.amounts.map(figureOf)))
    const lines: string[] = []
    if (opts.lcSwitch) {
      lines.push(
        zh
          ? `如果是信用证结算，限额按开证行计算：同一家开证行开出的几张信用证合计后只按一个限额（${limit}）；不同开证行分别计算。`
          : `With a letter of credit, the limit applies per issuing bank: several L/Cs from the same bank are added up and capped once at ${limitEn}; different banks each have their own limit.`,
      )
    }
    const told = opts.told ?? groups
    // Said in another part of this same message ("…欠我们30万美元…能赔吗？能赔多少？"): not "earlier".
    const sameMessage = ctx.text !== ctx.message.text.trim() && readLosses(ctx.message.text).groups.length > 0
    if (opts.remembered && sameMessage) lines.push(zh ? `按您说的${summary(lang, told)}：` : `Based on what you said (${summary(lang, told)}):`)
    else if (opts.remembered) lines.push(zh ? `按您前面说的${summary(lang, told)}：` : `Based on what you told me earlier (${summary(lang, told)}):`)
    else if (opts.added) lines.push(zh ? `加上您前面说的，一共${groups.length}个${groups.some((g) => g.party === 'bank') ? '买方或开证行' : '买方'}：` : `Together with what you told me earlier, ${groups.length} ${groups.some((g) => g.party === 'bank') ? 'buyers or banks' : 'buyers'}:`)
    groups.forEach((g, i) => lines.push(groupLine(lang, g, estimates[i]!, label(lang, g, i, groups.length))))

    const usd = estimates.every((e) => e.paidUsd)
    if (usd) {
      const low = estimates.reduce((a, e) => a + e.paidUsd!.low, 0)
      const high = estimates.reduce((a, e) => a + e.paidUsd!.high, 0)
      const total = formatRangeIn(lang, { low: Math.round(low * 100) / 100, high: Math.round(high * 100) / 100 }, 'USD')
      if (groups.length > 1) lines.push(zh ? `合计约${total}（每个买方或开证行分别计算限额）` : `Total about ${total} (each buyer or bank has its own limit)`)
      else lines.push(zh ? `预计可赔约${total}` : `Estimated payout about ${total}`)
    } else if (groups.length > 1) {
      lines.push(zh ? '（各买方的币种不同，分别计算，这里不合计。）' : '(The buyers are in different currencies, so each is worked out on its own and not added up.)')
    }
    if (opts.lcSwitch && groups.length > 1 && usd) {
      const all = estimateGroup(knowledge.rules, groups.flatMap((g) => g.amounts.map(figureOf)))
      const sum = formatRangeIn(lang, all.loss, 'USD')
      const share = formatRangeIn(lang, all.share!, 'USD')
      const capped = all.cap === 'binds'
      lines.push(
        zh
          ? `如果这几笔是同一家开证行开的信用证：合计${sum} × ${pct} = ${share}${capped ? `，超过单一开证行限额，按${formatMoneyIn('zh', limitPerBuyerUsd, 'USD')}计` : ''}。`
          : `If all of these are L/Cs from the same bank: ${sum} × ${pct} = ${share}${capped ? `, above the per-bank limit, so ${limitEn}` : ''}.`,
      )
    }
    if (opts.grouping === 'assumed-separate') {
      lines.push(zh ? '（几笔金额按不同买方分别计算限额；如果是同一买方的，告诉我“是同一个买家”，我合并后按一个限额算。）' : '(I took these as different buyers, each with its own limit; if they are the same buyer, say "same buyer" and I\'ll add them up under one limit.)')
    } else if (opts.grouping === 'assumed-same') {
      lines.push(zh ? '（按同一买方的几笔合计、只算一个限额；如果是不同买方，告诉我“是不同买家”，我分开算。）' : '(I took these as one buyer, added up under one limit; if they are different buyers, say "different buyers" and I\'ll work them out separately.)')
    }
    if (groups.some((g) => g.amounts.some((a) => a.currency === 'UNKNOWN'))) {
      lines.push(zh ? '（金额按美元理解；如果是其他币种请告诉我。）' : '(Amounts read as US dollars; tell me if they are in another currency.)')
    }
    const head = zh ? `按出口损失的${pct}赔付，单一买方（或开证行）限额${limit}：` : `The policy pays ${pct} of the loss, capped at ${limitEn} per buyer (or issuing bank):`
    return [text(`${head}\n${lines.join('\n')}\n${footer[lang]}`)]
  }

  /** Keep what was computed: for follow-ups ("那能赔多少", "如果是信用证呢", "还有一个买家…"). */
  function remember(ctx: TurnContext, groups: LossGroup[]) {
    ctx.session.profile.losses = groups
    ctx.session.flow = { name: FLOW, v: VERSION, step: 'amount', data: { groups }, startedAt: ctx.now }
  }

  /**
   * The losses told before this message. The flow holds what this skill last computed; otherwise the profile,
   * less this message's own groups in case an observer has already stored them.
   */
  function previous(ctx: TurnContext, current: LossGroup[]): LossGroup[] | undefined {
    const flow = ctx.session.flow
    const own = flow?.name === FLOW && Array.isArray(flow.data.groups) ? (flow.data.groups as LossGroup[]) : undefined
    if (own?.length) return own
    const stored = ctx.session.profile.losses
    if (!stored?.length) return undefined
    if (current.length && stored.length >= current.length) {
      const tail = stored.slice(stored.length - current.length)
      if (JSON.stringify(tail) === JSON.stringify(current)) return stored.length > current.length ? stored.slice(0, stored.length - current.length) : undefined
    }
    return stored
  }

  /**
   * The party a short follow-up names among the last estimate's ("那B呢", "买方2呢", "what about buyer B?"): by its
   * name's letter or number, or by position when the parties were not named ("B" is the second).
   */
  function onePartyOf(norm: string, groups: LossGroup[]): LossGroup | undefined {
    const m = ONE_PARTY.exec(norm)
    if (!m) return undefined
    const key = m[1]!
    const byName = groups.find((g) => g.name && new RegExp(`(?:^|[^a-z0-9])${key}(?:$|[^a-z0-9])|^${key}|${key}$`, 'i').test(g.name.toLowerCase().replace(/买方|买家|客户|公司|开证行|银行|buyer|customer|bank/g, ' ').trim()))
    if (byName) return byName
    if (groups.some((g) => g.name)) return undefined
    const index = /\d/.test(key) ? Number(key) - 1 : /[a-z]/.test(key) ? key.charCodeAt(0) - 97 : '甲乙丙丁'.indexOf(key)
    return groups[index]
  }

  /** A follow-up's figures said without a currency take the one used before ("那如果是20万呢" after "30万美元"). */
  function inheritCurrency(groups: LossGroup[], before: LossGroup[] | undefined): LossGroup[] {
    const known = new Set(before?.flatMap((g) => g.amounts.map((a) => a.currency)).filter((c) => c !== 'UNKNOWN'))
    if (known.size !== 1) return groups
    const only = [...known][0]!
    return groups.map((g) => ({ ...g, amounts: g.amounts.map((a) => (a.currency === 'UNKNOWN' ? { ...a, currency: only } : a)) }))
  }

  /** Answer a message about payouts: its own losses, a follow-up on the remembered ones, or the rule. */
  function answer(ctx: TurnContext, answering: boolean): Reply[] | undefined {
    const norm = ctx.norm
    const reading = readLosses(ctx.text, { answering })
    const before = previous(ctx, reading.groups)
    if (reading.groups.length) {
      if (before?.length && reading.groups.length === 1 && continuesLastParty(ctx.text)) return estimate(ctx, updateLosses(before, ctx.text)!, { added: true })
      if (reading.additive && before?.length) return estimate(ctx, [...before, ...inheritCurrency(reading.groups, before)], { added: true })
      const lcSwitch = !!before?.length && ctx.reading.lc === true && !reading.lc
      const groups = inheritCurrency(reading.groups, before)
      return estimate(ctx, lcSwitch ? asBanks(ctx.lang, groups) : groups, { grouping: reading.grouping, lcSwitch })
    }
    if (!before?.length) return undefined
    // "那B呢", "买方2呢": one of the parties of the last estimate, on its own.
    const one = before.length > 1 ? onePartyOf(ctx.norm, before) : undefined
    if (one) return estimate(ctx, [one], { remembered: true })
    const lc = ctx.reading.lc === true
    if (SAME_PARTY.test(norm) && before.length > 1 && !DIFFERENT_PARTIES.test(norm)) {
      const party = lc || before.every((g) => g.party === 'bank') ? 'bank' : 'buyer'
      return estimate(ctx, [{ party, amounts: before.flatMap((g) => g.amounts) }], { remembered: true, told: before })
    }
    if (DIFFERENT_PARTIES.test(norm) && before.length === 1 && before[0]!.amounts.length > 1) {
      const g = before[0]!
      return estimate(ctx, g.amounts.map((a) => ({ party: g.party, amounts: [a] })), { remembered: true, told: before })
    }
    if (lc) {
      ctx.session.profile.lc = true
      return estimate(ctx, asBanks(ctx.lang, before), { remembered: true, lcSwitch: true, told: before })
    }
    if (ASKS_AMOUNT.test(norm) && !RULE_ONLY.test(norm)) return estimate(ctx, before, { remembered: true })
    return undefined
  }

  return {
    key: 'payout',
    menuLabel: '估算能赔多少',
    flowVersion: VERSION,
    detect(ctx: TurnContext) {
      const norm = ctx.norm
      const hasAmount = parseAllMoney(ctx.text).length > 0
      if ((EXPORTS.test(norm) || EN_EXPORTS.test(norm)) && !LOSS.test(norm) && !EN_LOSS.test(norm)) return false
      if (LIMIT_WORDS.test(norm) && PER_PARTY.test(norm)) return true
      if ((ABOUT_PAYOUT.test(norm) && (ASKS_RULE.test(norm) || hasAmount)) || (LOSS.test(norm) && hasAmount)) return true
      return (EN_PAYOUT.test(norm) && (hasAmount || EN_RULE_TOPIC.test(norm))) || (EN_LOSS.test(norm) && hasAmount)
    },
    start: (ctx) => {
      ctx.session.flow = { name: FLOW, v: VERSION, step: 'amount', data: {}, startedAt: ctx.now }
      return [
        text(
          ctx.lang === 'en'
            ? 'Tell me the loss, e.g. "the buyer owes us USD 100,000". For several buyers, give each one\'s amount.'
            : '请告诉我损失金额，例如“买家欠了10万美元”。几个买方的请分别写出金额。',
        ),
      ]
    },
    handle: function estimateIndemnity(ctx) {
      const replies = answer(ctx, ctx.session.flow?.name === FLOW)
      if (replies) return replies
      // Stay listening for amounts: "两个买家分别欠30万和5万美元" often follows.
      ctx.session.flow = { name: FLOW, v: VERSION, step: 'amount', data: {}, startedAt: ctx.now }
      return rule(ctx.lang)
    },
    resume(ctx) {
      const exportsOnly = (EXPORTS.test(ctx.norm) || EN_EXPORTS.test(ctx.norm)) && !LOSS.test(ctx.norm) && !EN_LOSS.test(ctx.norm)
      const replies = exportsOnly ? undefined : answer(ctx, true)
      if (replies) return replies
      delete ctx.session.flow
      return undefined
    },
  }
}
