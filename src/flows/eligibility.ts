import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type Reply } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { formatUsd, formatUsdWan, parseAllMoney, type MoneyAmount } from '../policy/amount.js'
import { findMonths } from '../policy/dates.js'
import { isEligible } from '../policy/payout.js'
import { formatMoney, looksLikeQuestion, managerAnswer } from './shared.js'

const FLOW = 'eligibility'
const VERSION = 1
const ASKS = /能(不能|否)?(参加|参与|加入|享受|申请|领取?|拿到?)|可以(参加|参与|加入|享受|申请|领)|可不可以(参加|领)|符合|资格|够格|够不够|有没有份|算不算统保|是不是统保|统保企业吗|谁能|哪些企业|什么企业|什么样的企业|哪类企业|适用(对象|范围)|条件/
const EXPORTS = /出口(额|金额|总额|量)?|外贸额|营业额/
const PAYOUT = /欠|赔|损失|货款|拖欠|不付/
const YES = /^(是|是的|对|对的|嗯|没错|yes|y|ok|好|是2020年?的?)[。.!！]?$/
const NO = /^(不是|不对|否|no|n|不)[。.!！]?$/

/** "能参加统保吗": eligibility by the 2020 export threshold, asking for missing facts one at a time. */
export function createEligibilitySkill({ knowledge }: { knowledge: Knowledge }): Skill {
  const { year, maxExportsUsd } = knowledge.rules.eligibility
  const threshold = formatUsdWan(maxExportsUsd)
  const c = knowledge.contacts
  const askAmount = `您公司${year}年的出口额大约是多少美元？（例如“${year}年出口500万美元”）`

  function rule(): string {
    return `统保对象：${year}年出口额${threshold}（含）以下的深圳企业，直接向${c.insurer.name}领取出口信用保险保单；名单由${c.listPublisher.name}官网公示，公示期满后确认。\n${citation(knowledge, knowledge.rules.eligibility.source)}\n${citation(knowledge, c.listPublisher.source)}`
  }

  function waitFor(ctx: TurnContext, step: string, data: Record<string, unknown> = {}) {
    ctx.session.flow = { name: FLOW, v: VERSION, step, data, startedAt: ctx.now }
  }

  function collect(ctx: TurnContext): string {
    const district = ctx.session.profile.district
    const offline = district ? managerAnswer(knowledge, district) : '联系所在区的客户经理（告诉我贵司在哪个区，我把客户经理电话发给您）。'
    return [
      '领取保单，两种方式任选其一：',
      `1. 线上：登录中国（深圳）国际贸易单一窗口 ${c.singleWindowUrl.url} ，进入出口信用模块按流程领取；咨询电话 ${c.singleWindowSupport.phones.join('、')}。`,
      `2. 线下：${offline}`,
    ].join('\n')
  }

  function decide(ctx: TurnContext, usd: number, assumedUsd = false): Reply[] {
    delete ctx.session.flow
    ctx.session.profile.exports2020Usd = usd
    const assumed = assumedUsd ? `（按美元理解；如果是人民币等其他币种，请告诉我美元金额）` : ''
    const given = `${year}年出口额${formatUsd(usd)}${assumed}`
    if (isEligible(knowledge.rules, usd)) {
      return [
        text(
          `${given}，属于${threshold}（含）以下，符合统保条件。最终以${c.listPublisher.name}官网公示确认的企业名单为准。\n${collect(ctx)}\n${citation(knowledge, knowledge.rules.eligibility.source)}\n${citation(knowledge, c.listPublisher.source)}\n${citation(knowledge, c.singleWindowUrl.source)}`,
        ),
      ]
    }
    const district = ctx.session.profile.district
    const manager = district ? managerAnswer(knowledge, district) : '可以告诉我贵司在哪个区，我把客户经理电话发给您。'
    return [
      text(
        `${given}，超过${threshold}，不在这次统保（${year}年出口额${threshold}及以下企业）的范围内。\n如需出口信用保险保障，可以联系${c.insurer.short}的客户经理了解其他产品，比如政策简介案例中企业后来投保的综合险。\n${manager}\n${citation(knowledge, knowledge.rules.eligibility.source)}\n${citation(knowledge, 'case-2')}`,
      ),
    ]
  }

  /** Judge from an amount the user gave, or ask what is missing. */
  function fromAmount(ctx: TurnContext, amount: MoneyAmount): Reply[] {
    const years = findMonths(ctx.norm, new Date(ctx.now)).filter((m) => m.month === undefined || !m.relative)
    const named = years.find((y) => !y.relative && y.year !== year)
    if (named) {
      waitFor(ctx, 'amount')
      return [text(`统保资格按${year}年的出口额判断，您说的是${named.year}年的。\n${askAmount}`)]
    }
    if (amount.currency !== 'USD' && amount.currency !== 'UNKNOWN') {
      waitFor(ctx, 'amount')
      return [text(`统保门槛按美元计（${year}年出口额${threshold}）。您说的是${formatMoney(amount)}，我不做汇率换算，请告诉我折合多少美元。`)]
    }
    const relative = years.find((y) => y.relative)
    if (relative && relative.year !== year) {
      waitFor(ctx, 'confirm-year', { usd: amount.value, assumed: amount.currency === 'UNKNOWN' })
      return [text(`统保资格按${year}年的出口额判断。您说的${formatMoney({ ...amount, currency: 'USD' })}是${year}年的出口额吗？（回复“是”，或告诉我${year}年的出口额）`)]
    }
    return decide(ctx, amount.value, amount.currency === 'UNKNOWN')
  }

  return {
    key: FLOW,
    menuLabel: '判断能否参加统保',
    flowVersion: VERSION,
    detect(ctx) {
      if (ASKS.test(ctx.norm) && /统保|保单|参加|资格|符合|条件|企业/.test(ctx.norm)) return true
      return EXPORTS.test(ctx.norm) && !PAYOUT.test(ctx.norm) && parseAllMoney(ctx.text).length > 0
    },
    start: (ctx) => {
      waitFor(ctx, 'amount')
      return [text(askAmount)]
    },
    handle: function checkEligibility(ctx) {
      const amount = parseAllMoney(ctx.text)[0]
      if (amount) return fromAmount(ctx, amount)
      const known = ctx.session.profile.exports2020Usd
      if (known !== undefined) return decide(ctx, known)
      waitFor(ctx, 'amount')
      return [text(`${rule()}\n\n${askAmount}`)]
    },
    resume(ctx) {
      const flow = ctx.session.flow!
      const amount = parseAllMoney(ctx.text)[0]
      if (amount) return fromAmount(ctx, amount)
      if (flow.step === 'confirm-year') {
        if (YES.test(ctx.norm)) return decide(ctx, Number(flow.data.usd), Boolean(flow.data.assumed))
        if (NO.test(ctx.norm)) {
          waitFor(ctx, 'amount')
          return [text(askAmount)]
        }
      }
      if (looksLikeQuestion(ctx.norm) || ctx.norm.length > 15) {
        delete ctx.session.flow
        return undefined
      }
      return [text(`没看懂这个金额。${askAmount}`)]
    },
  }
}
