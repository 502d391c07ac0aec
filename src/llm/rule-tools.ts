import type { BaseMessage, BaseMessageLike } from '@langchain/core/messages'
import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import { z } from 'zod'
import type { LossGroup, RememberedMoney } from '../engine/types.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { PlaceResolver } from '../policy/places.js'
import { normalize } from '../text/normalize.js'
import { ruleResults, type RuleResult } from './rule-results.js'

/** One run of the agent: its final message, what the rule tools returned, and how many model calls it took. */
export interface AgentRun {
  message: BaseMessage
  results: RuleResult[]
  calls: number
}

export type AgentRunner = (messages: BaseMessageLike[], signal: AbortSignal) => Promise<AgentRun>

export interface RuleAgentDeps {
  chat: BaseChatModel
  knowledge: Knowledge
  places?: PlaceResolver
}

const money = z.object({ value: z.number().positive().describe('金额数值，如 120000'), currency: z.enum(['USD', 'CNY', 'HKD', 'EUR']).default('USD') })

/**
 * OPENAI_RULES=tools: the rule functions offered to the model as LangChain tools through `createAgent`, instead of
 * being computed beforehand from the working facts. Each tool is the project's own rule function, so its result
 * is as exact as the embedded answer's; the model decides when to call one, at the cost of a second round trip.
 * `langchain` is imported here, on demand, so the default mode never loads it.
 */
export async function loadRuleAgent(): Promise<(deps: RuleAgentDeps) => AgentRunner> {
  const { createAgent, tool } = await import('langchain')
  return function createRuleAgent({ chat, knowledge, places }) {
    const sourceOf = new Map<string, string>()
    const ruleTool = <S extends z.ZodObject>(name: string, description: string, schema: S, source: string, run: (args: z.infer<S>) => string) => {
      sourceOf.set(name, source)
      return tool(async (args: z.infer<S>) => run(args), { name, description, schema })
    }
    const say = (results: RuleResult[], none: string) => results.map((r) => r.text).join('\n') || none
    const rules = knowledge.rules
    const tools = [
      ruleTool('eligibility', '按企业2020年出口额（美元）判断能否参加统保', z.object({ exports2020Usd: z.number().positive() }), rules.eligibility.source, (a) =>
        say(ruleResults(knowledge, { exports2020Usd: a.exports2020Usd }), '无法判断'),
      ),
      ruleTool(
        'payout',
        '按每个买方或开证行的损失金额估算赔付（比例和单一买方限额由系统计算）',
        z.object({ losses: z.array(z.object({ party: z.enum(['buyer', 'bank']).default('buyer'), name: z.string().optional(), amounts: z.array(money).min(1) })).min(1) }),
        rules.indemnity.source,
        (a) => {
          const losses: LossGroup[] = a.losses.map((l) => ({ party: l.party, name: l.name, amounts: l.amounts.map((m): RememberedMoney => ({ value: m.value, currency: m.currency })) }))
          return say(ruleResults(knowledge, { losses }), '没有可计算的金额')
        },
      ),
      ruleTool('coverage_period', '判断报关出口的年月是否在承保期间内', z.object({ year: z.number().int(), month: z.number().int().min(1).max(12).optional() }), rules.coverPeriod.source, (a) =>
        say(ruleResults(knowledge, { declared: { year: a.year, month: a.month } }), '无法判断'),
      ),
      ...(places
        ? [
            ruleTool('manager', '按深圳的区名或街道名查客户经理', z.object({ place: z.string().min(1) }), knowledge.managers.source, (a) => {
              const district = places.resolve(normalize(a.place))?.district
              return district ? say(ruleResults(knowledge, { district }), '资料中没有该区的客户经理') : `资料中找不到“${a.place}”所在的区，请用户说明所在的区或街道`
            }),
          ]
        : []),
    ]
    const agent = createAgent({ model: chat, tools })
    return async function runRuleAgent(messages, signal) {
      // A tool loop is bounded: two tool rounds at most, then the answer.
      const out = await agent.invoke({ messages }, { signal, recursionLimit: 6 })
      const added = (out.messages as BaseMessage[]).slice(messages.length)
      const results = added
        .filter((m) => m.getType() === 'tool')
        .map((m) => ({ text: typeof m.content === 'string' ? m.content : JSON.stringify(m.content), source: sourceOf.get(m.name ?? '') ?? knowledge.contacts.policyHotlines.source }))
      const message = added.at(-1) ?? (out.messages as BaseMessage[]).at(-1)!
      return { message, results, calls: added.filter((m) => m.getType() === 'ai').length }
    }
  }
}
