import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type Reply } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { checkCoverage, findOwnName, findRisks, splitMonths, type LossFacts } from '../policy/coverage.js'
import { findMonths } from '../policy/dates.js'

const ASKS = /能(不能)?赔|赔不赔|可以赔|可不可以赔|能(不能)?(理赔|索赔)|保不保|保吗|管不管|在不在(保障|承保|保险)?范围|属于(保障|承保|保险)|算(不算)?(保险责任|保障)|能报损|包括吗|包不包括|有没有保障|受不受保障|能不能报|在保障内/
const FLOW = 'coverage'
const VERSION = 1

interface StoredFacts {
  declared?: { year: number; month?: number }
  due?: { year: number; month?: number }
  ownName?: boolean
  riskIds: string[]
  notCovered: string[]
}

/** "2020年3月出运的货能赔吗": checks the facts given against the cover and says what is missing. */
export function createCoverageSkill({ knowledge, reportHint }: { knowledge: Knowledge; reportHint: string }): Skill {
  const risks = knowledge.risks

  function extract(ctx: TurnContext, base: StoredFacts = { riskIds: [], notCovered: [] }): { facts: StoredFacts; found: boolean } {
    const months = splitMonths(ctx.norm, findMonths(ctx.norm, new Date(ctx.now)))
    const r = findRisks(risks, ctx.norm)
    const ownName = findOwnName(ctx.norm)
    const facts: StoredFacts = {
      declared: months.declared ? { year: months.declared.year, month: months.declared.month } : base.declared,
      due: months.due ? { year: months.due.year, month: months.due.month } : base.due,
      ownName: ownName ?? base.ownName,
      riskIds: r.kinds.length ? r.kinds.map((k) => k.id) : base.riskIds,
      notCovered: r.notCovered.length ? r.notCovered : base.notCovered,
    }
    const found = !!months.declared || !!months.due || ownName !== undefined || r.kinds.length > 0 || r.notCovered.length > 0
    return { facts, found }
  }

  function judge(ctx: TurnContext, facts: StoredFacts): Reply[] {
    const lossFacts: LossFacts = {
      declared: facts.declared,
      due: facts.due,
      ownName: facts.ownName,
      risks: risks.kinds.filter((k) => facts.riskIds.includes(k.id)),
      notCovered: facts.notCovered,
    }
    const check = checkCoverage(knowledge.rules, lossFacts)
    const lines = ['按您说的情况核对统保保障范围：']
    for (const f of check.fits) lines.push(`符合：${f}`)
    for (const p of check.problems) lines.push(`不符合：${p}`)
    if (check.missing.length) lines.push(`还需要确认：${check.missing.join('；')}`)
    if (check.problems.length) lines.push('结论：这笔损失可能不在统保保障范围内（以正式保单约定为准），有疑问请联系客户经理。')
    else if (check.missing.length) {
      lines.push('结论：信息还不够，补充以上几点后我再帮您判断。')
      ctx.session.flow = { name: FLOW, v: VERSION, step: 'facts', data: { ...facts }, startedAt: ctx.now }
    } else lines.push(`结论：属于统保保障范围（以正式保单约定为准）。\n${reportHint}`)
    if (!check.missing.length || check.problems.length) delete ctx.session.flow
    lines.push('另外，不予承保的国别以正式保单约定为准。')
    lines.push(citation(knowledge, knowledge.rules.coverPeriod.source), citation(knowledge, risks.source))
    return [text(lines.join('\n'))]
  }

  return {
    key: FLOW,
    flowVersion: VERSION,
    detect(ctx) {
      return ASKS.test(ctx.norm) && extract(ctx).found
    },
    handle: function checkLossCoverage(ctx) {
      return judge(ctx, extract(ctx).facts)
    },
    resume(ctx) {
      const { facts, found } = extract(ctx, ctx.session.flow!.data as unknown as StoredFacts)
      if (!found) {
        delete ctx.session.flow
        return undefined
      }
      return judge(ctx, facts)
    },
  }
}
