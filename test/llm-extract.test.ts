import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBot, type Bot } from '../src/bot.js'
import type { ModelSettings } from '../src/llm/mode.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { chat, realKnowledge, silentLogger, testBot } from './helpers/bot.js'
import { startOpenAiStub, stubModel, type OpenAiStub } from './helpers/openai-stub.js'

let stub: OpenAiStub
beforeAll(async () => {
  stub = await startOpenAiStub()
})
afterAll(() => stub.close())

function modelBot(settings: Partial<ModelSettings> = {}): Bot {
  const { knowledge, segmenter } = realKnowledge()
  stub.requests.length = 0
  return createBot({ knowledge, segmenter, store: createMemoryStore({ sessionTtlSeconds: 3600 }), logger: silentLogger, model: stubModel(stub, settings) })
}

const FIRST = '我要报损，我们是深圳市示例电子科技有限公司，德国的Gamma Trading GmbH欠我们12.5万美元'
const fields = (o: Record<string, string>) => ({ toolCalls: [{ name: 'loss_report_fields', arguments: JSON.stringify(o) }] })

describe('loss report in model mode: extraction from free text', () => {
  it('fills what the rules cannot read from a sentence (the firm’s name), and the form asks only the rest', async () => {
    const bot = modelBot()
    stub.reply(fields({ company: '深圳市示例电子科技有限公司', buyerName: 'Gamma Trading GmbH' }))
    const reply = await chat(bot).say(FIRST)
    expect(reply).toContain('企业名称')
    expect(reply).toMatch(/已记下：.*企业名称/)
    // The next question is the credit code: the company's name is not asked.
    expect(reply.split('\n').at(-1)).toBe('贵司的18位统一社会信用代码是？')
    // Without a model the first question is the firm's name.
    expect((await chat(testBot()).say(FIRST)).split('\n').at(-1)).not.toBe('贵司的18位统一社会信用代码是？')
    // functionCalling: a tool named for the form, never the strict json_schema response format.
    const req = stub.requests[0]!
    expect(req.tools?.map((t) => t.function.name)).toEqual(['loss_report_fields'])
    expect(req.response_format).toBeUndefined()
  })

  it('drops a value the user never said and a value that fails the field’s own check', async () => {
    const bot = modelBot()
    const c = chat(bot)
    stub.reply(fields({ company: '深圳市示例电子科技有限公司', contactName: '张三丰', district: '火星' }))
    const reply = await c.say('我要报损，我们是深圳市示例电子科技有限公司，工厂在火星，买家破产了')
    expect(reply).not.toContain('联系人')
    expect(reply).not.toContain('火星')
    expect(reply).toMatch(/已记下：.*企业名称/)
  })

  it('jsonMode asks for a JSON object (no tools) and reads it', async () => {
    const bot = modelBot({ structuredMethod: 'jsonMode' })
    stub.reply({ content: JSON.stringify({ company: '深圳市示例电子科技有限公司' }) })
    const reply = await chat(bot).say(FIRST)
    expect(reply.split('\n').at(-1)).toBe('贵司的18位统一社会信用代码是？')
    expect(stub.requests[0]!.response_format).toEqual({ type: 'json_object' })
    expect(stub.requests[0]!.tools).toBeUndefined()
  })

  it('malformed tool-call arguments, an HTTP 500 or a short message: the form goes on exactly as without a model', async () => {
    const expected = await chat(testBot()).say(FIRST)
    let bot = modelBot()
    stub.reply({ content: null, toolCalls: [{ name: 'loss_report_fields', arguments: '{"company": "深圳市示例' }] })
    expect(await chat(bot).say(FIRST)).toBe(expected)

    bot = modelBot()
    stub.reply({ status: 500 })
    expect(await chat(bot).say(FIRST)).toBe(expected)

    bot = modelBot()
    stub.reply(fields({ company: 'x' }))
    await chat(bot).say('我要报损')
    expect(stub.requests).toHaveLength(0)
  })

  it('mid-form, a long answer may fill later fields too, each validated', async () => {
    const bot = modelBot()
    const c = chat(bot)
    stub.reply(fields({}))
    await c.say('我要报损')
    await c.say('深圳市示例电子科技有限公司')
    await c.say('91440300MA5EXAMP1F')
    stub.reply(fields({ contactName: '李娜' }))
    const reply = await c.say('宝安区，联系人是李娜，其他的稍后再说')
    expect(reply).toMatch(/已记下：.*联系人/)
    expect(reply).not.toContain('请问联系人')
  })
})
