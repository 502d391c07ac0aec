import { ChatOpenAI } from '@langchain/openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBot, type Bot } from '../src/bot.js'
import { chatModelFields } from '../src/llm/client.js'
import { loadRuleAgent } from '../src/llm/rule-tools.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { chat, realKnowledge, silentLogger, testBot } from './helpers/bot.js'
import { prompts, startOpenAiStub, stubModel, withSetup, type OpenAiStub } from './helpers/openai-stub.js'

let stub: OpenAiStub
let agent: Awaited<ReturnType<typeof loadRuleAgent>>
beforeAll(async () => {
  stub = await startOpenAiStub()
  agent = await loadRuleAgent()
})
afterAll(() => stub.close())

/** OPENAI_RULES=tools: the rule functions offered to the model through createAgent. */
function toolsBot(): Bot {
  const { knowledge, segmenter } = realKnowledge()
  const model = new ChatOpenAI(chatModelFields({ apiKey: 'sk-test', baseURL: stub.baseURL, model: 'stub-model', timeoutMs: 3500 }))
  stub.requests.length = 0
  return createBot({ knowledge, segmenter, store: createMemoryStore({ sessionTtlSeconds: 3600 }), logger: silentLogger, model: withSetup({ chat: model, prompts, settings: { modelName: 'stub-model' }, agent }) })
}

const PAYOUT_CALL = { toolCalls: [{ name: 'payout', arguments: JSON.stringify({ losses: [{ party: 'buyer', amounts: [{ value: 120000, currency: 'USD' }] }] }) }] }

describe('rule functions as LangChain tools (OPENAI_RULES=tools)', () => {
  it('the model calls the payout rule; the answer may use its result, which is cited; it takes two model calls', async () => {
    const bot = toolsBot()
    const c = chat(bot)
    await c.say('买家欠了12万美元')
    stub.reply([PAYOUT_CALL, { content: '保险期限1.5年（2021年1月至2022年6月）。您这笔120,000美元的损失，预计赔付96,000美元。' }])
    const answer = await c.say('请问统保保险期限是多长时间')
    expect(answer).toContain('预计赔付96,000美元')
    // The payout rule's section cited too, on the reply's one source line.
    expect(answer).toMatch(/来源：《2020年出口额800万美元以下企业统保政策简介》.*二（三）3\. 保障金额/)
    expect(stub.requests).toHaveLength(2)
    expect(stub.requests[0]!.tools!.map((t) => t.function.name).sort()).toEqual(['coverage_period', 'eligibility', 'manager', 'payout'])
    // The tool ran the project's rule function; its result went back to the model.
    const tool = stub.requests[1]!.messages.find((m) => m.role === 'tool')!
    expect(tool.content).toContain('预计赔付96,000美元')
    expect(bot.model!.stats()).toMatchObject({ calls: 2, answered: 1 })
  })

  it('a figure the tool did not return is still guarded out', async () => {
    const bot = toolsBot()
    const c = chat(bot)
    await c.say('买家欠了12万美元')
    stub.reply([PAYOUT_CALL, { content: '预计赔付100,000美元。' }, PAYOUT_CALL, { content: '预计赔付100,000美元。' }])
    expect(await c.say('请问统保保险期限是多长时间')).toBe(await (async () => {
      const e = chat(testBot())
      await e.say('买家欠了12万美元')
      return e.say('请问统保保险期限是多长时间')
    })())
    expect(bot.model!.stats().fallbacks).toEqual({ guard: 1 })
  })

  it('the default (precomputed) offers no tools: one call with the rule results in the prompt', async () => {
    const { knowledge, segmenter } = realKnowledge()
    const bot = createBot({ knowledge, segmenter, store: createMemoryStore({ sessionTtlSeconds: 3600 }), logger: silentLogger, model: stubModel(stub) })
    stub.requests.length = 0
    const c = chat(bot)
    await c.say('买家欠了12万美元')
    stub.reply({ content: '保险期限1.5年。' })
    await c.say('请问统保保险期限是多长时间')
    expect(stub.requests).toHaveLength(1)
    expect(stub.requests[0]!.tools).toBeUndefined()
    expect(stub.requests[0]!.messages.at(-1)!.content).toContain('预计赔付96,000美元')
  })
})
