import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type Reply } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { formatUsd, formatUsdWan, parseAllMoney, type MoneyAmount } from '../policy/amount.js'
import { estimatePayout } from '../policy/payout.js'
import { formatMoney } from './shared.js'

const ABOUT_PAYOUT = /赔|补偿|能拿回|拿回多少|报销/
const LOSS = /欠|拖欠|损失|坏账|没付|不付|未付|收不回|没收到|逾期/
const ASKS_RULE = /赔多少|赔几成|几成|比例|最多|限额|上限|封顶|全赔|全额|按比例|怎么算|怎么赔|赔付标准|能拿回多少/
const EXPORTS = /出口额|出口金额|外贸额/
const FLOW = 'payout'
const VERSION = 1

/** "买家欠了10万美元能赔多少": 80 % of each buyer's loss, capped per buyer, with the arithmetic shown. */
export function createPayoutSkill({ knowledge, reportHint }: { knowledge: Knowledge; reportHint: string }): Skill {
  const { ratio, limitPerBuyerUsd, source } = knowledge.rules.indemnity
  const pct = `${Math.round(ratio * 100)}%`
  const limit = formatUsdWan(limitPerBuyerUsd)
  const footer = `以上为估算，实际以正式保单约定和理赔审核为准。\n${reportHint}\n${citation(knowledge, source)}`

  function rule(): Reply[] {
    const example = estimatePayout(knowledge.rules, [100_000]).buyers[0]!
    return [
      text(
        `统保按出口损失金额的${pct}赔付，单一买方（或开证行）责任限额${limit}（以正式保单约定为准）。\n例如损失${formatUsd(example.loss)}，可赔约${formatUsd(example.paid)}。告诉我损失金额，我帮您算。\n${citation(knowledge, source)}`,
      ),
    ]
  }

  function estimate(amounts: MoneyAmount[]): Reply[] {
    const usd = amounts.filter((a) => a.currency === 'USD' || a.currency === 'UNKNOWN')
    const other = amounts.filter((a) => !usd.includes(a))
    const lines: string[] = []
    if (usd.length) {
      const { buyers, total } = estimatePayout(knowledge.rules, usd.map((a) => a.value))
      const many = buyers.length > 1
      buyers.forEach((b, i) => {
        const who = many ? `买方${i + 1}：` : ''
        const capped = b.capped ? `，超过单一买方限额，按${formatUsd(b.paid)}计` : ''
        lines.push(`${who}损失${formatUsd(b.loss)} × ${pct} = ${formatUsd(b.share)}${capped}`)
      })
      if (many) lines.push(`合计约${formatUsd(total)}（每个买方分别计算限额；同一买方的几笔请合并成一个金额告诉我）`)
      else lines.push(`预计可赔约${formatUsd(total)}`)
      if (usd.some((a) => a.currency === 'UNKNOWN')) lines.push('（金额按美元理解；如果是其他币种请告诉我。）')
    }
    for (const a of other) {
      lines.push(`${formatMoney(a)} × ${pct} = ${formatMoney({ ...a, value: Math.round(a.value * ratio * 100) / 100 })}；单一买方限额按美元计（${limit}），我不做汇率换算，请按美元金额再算一次。`)
    }
    return [text(`按出口损失的${pct}赔付，单一买方（或开证行）限额${limit}：\n${lines.join('\n')}\n${footer}`)]
  }

  return {
    key: 'payout',
    menuLabel: '估算能赔多少',
    flowVersion: VERSION,
    detect(ctx: TurnContext) {
      if (EXPORTS.test(ctx.norm)) return false
      const hasAmount = parseAllMoney(ctx.text).length > 0
      return (ABOUT_PAYOUT.test(ctx.norm) && (ASKS_RULE.test(ctx.norm) || hasAmount)) || (LOSS.test(ctx.norm) && hasAmount)
    },
    start: (ctx) => {
      ctx.session.flow = { name: FLOW, v: VERSION, step: 'amount', data: {}, startedAt: ctx.now }
      return [text(`请告诉我损失金额，例如“买家欠了10万美元”。几个买方的请分别写出金额。`)]
    },
    handle: function estimateIndemnity(ctx) {
      const amounts = parseAllMoney(ctx.text)
      // Stay listening for amounts: "两个买家分别欠30万和5万美元" often follows.
      ctx.session.flow = { name: FLOW, v: VERSION, step: 'amount', data: {}, startedAt: ctx.now }
      return amounts.length ? estimate(amounts) : rule()
    },
    resume(ctx) {
      const amounts = parseAllMoney(ctx.text)
      if (amounts.length && !EXPORTS.test(ctx.norm)) return estimate(amounts)
      delete ctx.session.flow
      return undefined
    },
  }
}
