import { FakeListChatModel } from '@langchain/core/utils/testing'
import { ChatOpenAI } from '@langchain/openai'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBot, type Bot } from '../src/bot.js'
import type { ModelSettings, ModelSetup } from '../src/llm/mode.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { chat, realKnowledge, testBot } from './helpers/bot.js'
import { lastUser, prompts, startOpenAiStub, stubModel, withSetup, type OpenAiStub } from './helpers/openai-stub.js'

let stub: OpenAiStub
beforeAll(async () => {
  stub = await startOpenAiStub()
})
afterAll(() => stub.close())

/** A bot in model mode over the stub (or the model given), with its log lines kept. */
function modelBot(settings: Partial<ModelSettings> = {}, model?: ModelSetup): { bot: Bot; logs: Array<Record<string, unknown>> } {
  const { knowledge, segmenter } = realKnowledge()
  const logs: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) })
  const bot = createBot({ knowledge, segmenter, store: createMemoryStore({ sessionTtlSeconds: 3600 }), logger, model: model ? withSetup(model) : stubModel(stub, settings) })
  stub.requests.length = 0
  return { bot, logs }
}

/** What the bot says without a model: the fallback every failure must give. */
const embedded = (q: string) => chat(testBot()).say(q)
const SOURCE_PERIOD = '来源：《2020年出口额800万美元以下企业统保政策简介》二（三）4. 保险期限'

describe('model mode: answers', () => {
  it('a good answer reaches the user in plain text, with the sources the bot appends (never the model’s own)', async () => {
    const { bot } = modelBot()
    stub.reply({ content: '**保险期限是1.5年**，即2021年1月至2022年6月。\n- 期间的出口损失可以申请索赔，理赔服务电话88325700。\n来源：某网站' })
    const answer = await chat(bot).say('保险期限多久')
    expect(answer).toBe(`保险期限是1.5年，即2021年1月至2022年6月。\n· 期间的出口损失可以申请索赔，理赔服务电话88325700。\n${SOURCE_PERIOD}`)
    // One call, carrying the retrieved section (no search tool round trip) and the rules of the system prompt.
    expect(stub.requests).toHaveLength(1)
    const [system, user] = stub.requests[0]!.messages
    expect(system!.role).toBe('system')
    expect(system!.content).toContain('资料不足以回答时，只回复：资料里没有')
    expect(user!.content).toContain('统保政策保险期限为1.5年（即2021年1月至2022年6月）')
    expect(user!.content).toContain('请用中文回答')
  })

  it('English in, English out: the model is asked for English and its English answer is shown with the sources', async () => {
    const { bot } = modelBot()
    stub.reply((req) => ({ content: lastUser(req).includes('请用English回答') ? 'The policy period is 1.5 years, from January 2021 to June 2022.' : '保险期限1.5年。' }))
    const answer = await chat(bot).say('How long is the policy period?')
    expect(answer).toBe(`The policy period is 1.5 years, from January 2021 to June 2022.\n${SOURCE_PERIOD}`)
  })

  it('the model sees the working facts and the rule results computed from them, and may use them', async () => {
    const { bot } = modelBot()
    const c = chat(bot)
    await c.say('我们在沙井')
    stub.reply({ content: '保险期限是1.5年（2021年1月至2022年6月）。贵司在宝安区，有问题可以找客户经理吕宇翔，电话13699865957。' })
    const answer = await c.say('请问统保保险期限是多长时间')
    const prompt = lastUser(stub.requests.at(-1)!)
    expect(prompt).toContain('宝安区的客户经理：吕宇翔 13699865957')
    expect(prompt).toContain('所在区：宝安区')
    // The manager is not in the retrieved section, only in the rule result: allowed, and its source is cited.
    expect(answer).toContain('吕宇翔，电话13699865957')
    expect(answer).toContain(SOURCE_PERIOD)
    // Both sections cited, on the reply's one source line.
    expect(answer).toMatch(/来源：《2020年出口额800万美元以下企业统保政策简介》.*二（二）2\. 线下领取保单/)
  })

  it('the model sees the last turns of the conversation', async () => {
    const { bot } = modelBot()
    const c = chat(bot)
    stub.reply({ content: '保险期限是1.5年。' })
    await c.say('保险期限多久')
    stub.reply({ content: '统保企业直接向中国出口信用保险公司深圳分公司领取保单。' })
    await c.say('统保是什么')
    const messages = stub.requests.at(-1)!.messages
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
    expect(messages[1]!.content).toBe('保险期限多久')
    // The bot's reply as the user saw it, without its source lines.
    expect(messages[2]!.content).toBe('保险期限是1.5年。')
  })

  it('when the model says the sources do not answer, the user gets the abstention with the consultation phones', async () => {
    const { bot } = modelBot()
    stub.reply({ content: '资料里没有' })
    const answer = await chat(bot).say('统保是什么')
    expect(answer).toContain('没有找到确切答案')
    expect(answer).toContain('88325713、88325686、27660192')
  })

  it('out-of-scope topics and abstentions are decided before any model call', async () => {
    const { bot } = modelBot()
    stub.reply({ content: '出口退税可以找税务局。' })
    const answer = await chat(bot).say('出口退税怎么办')
    expect(answer).toBe(await embedded('出口退税怎么办'))
    expect(stub.requests).toHaveLength(0)
  })

  it('rule skills stay deterministic: a payout question is answered by the rules, with no model call', async () => {
    const { bot } = modelBot()
    stub.reply({ content: '能赔100万美元。' })
    expect(await chat(bot).say('买家欠了10万美元能赔多少')).toBe(await embedded('买家欠了10万美元能赔多少'))
    expect(stub.requests).toHaveLength(0)
  })

  it('logs token usage and latency per turn', async () => {
    const { bot, logs } = modelBot()
    stub.reply({ content: '保险期限是1.5年。' })
    await chat(bot).say('保险期限多久')
    const turn = logs.find((l) => l.llm === 'answered')!
    expect(turn).toMatchObject({ model: 'stub-model', calls: 1, sections: ['period'] })
    expect(turn.inputTokens).toBeGreaterThan(0)
    expect(turn.outputTokens).toBeGreaterThan(0)
    expect(typeof turn.ms).toBe('number')
  })
})

describe('model mode: a lying model never reaches the user', () => {
  const lies: Array<[string, string, string]> = [
    ['a wrong percent', '保障金额怎么规定的', '按出口损失的90%赔付，单一买方限额15万美元。'],
    ['a wrong phone', '保险期限多久', '保险期限1.5年，理赔服务电话13812345678。'],
    ['an invented limit', '保障金额怎么规定的', '按出口损失的80%赔付，单一买方限额20万美元。'],
    ['an amount in another unit', '保障金额怎么规定的', '按出口损失的80%赔付，单一买方限额15万元人民币。'],
    ['an invented contact', '保险期限多久', '保险期限1.5年，有问题可以找张经理。'],
  ]
  for (const [what, question, lie] of lies) {
    it(`${what}: one repair attempt, then the embedded answer`, async () => {
      const { bot, logs } = modelBot()
      stub.reply({ content: lie })
      expect(await chat(bot).say(question)).toBe(await embedded(question))
      // The repair call tells the model what was wrong.
      expect(stub.requests).toHaveLength(2)
      expect(lastUser(stub.requests[1]!)).toMatch(/找不到的内容：\n“[^”]+”（(比例|电话|金额|人名)）/)
      expect(bot.model!.stats()).toMatchObject({ guardRejections: 2, answered: 0, fallbacks: { guard: 1 } })
      const rejected = logs.filter((l) => l.llm === 'guard-rejected')
      expect(rejected).toHaveLength(2)
      // Personal data masked in the log.
      expect(JSON.stringify(logs)).not.toContain('13812345678')
    })
  }

  it('a repaired answer that passes is shown', async () => {
    const { bot } = modelBot()
    stub.reply([{ content: '按出口损失的90%赔付。' }, { content: '按出口损失的八成赔付，单一买方或开证行限额15万美元，以正式保单约定为准。' }])
    const answer = await chat(bot).say('保障金额怎么规定的')
    expect(answer).toBe('按出口损失的八成赔付，单一买方或开证行限额15万美元，以正式保单约定为准。\n来源：《2020年出口额800万美元以下企业统保政策简介》二（三）3. 保障金额')
    expect(bot.model!.stats()).toMatchObject({ guardRejections: 1, repaired: 1, answered: 1 })
  })
})

describe('model mode: any chat model', () => {
  it('works with FakeListChatModel (no HTTP): a true answer is shown, a lie is not', async () => {
    const fake = new FakeListChatModel({ responses: ['保险期限是1.5年，从2021年1月到2022年6月。', '保险期限是3年。', '保险期限是3年。'] })
    const { bot } = modelBot({}, { chat: fake, prompts, settings: { modelName: 'fake' } })
    expect(await chat(bot).say('保险期限多久')).toBe(`保险期限是1.5年，从2021年1月到2022年6月。\n${SOURCE_PERIOD}`)
    expect(await chat(bot).say('保单有效期多长时间')).toBe(await embedded('保单有效期多长时间'))
  })

  it('asks for a whole answer, not a stream (the guard needs all of it; a streamed invoke would fetch tokenizer data from the internet)', async () => {
    const { bot } = modelBot()
    stub.reply({ content: '保险期限是1.5年。' })
    await chat(bot).say('保险期限多久')
    expect(stub.requests[0]!.stream).toBe(false)
  })

  it('the stub streams like the real API, content and tool calls (a check of the test helper)', async () => {
    const streaming = new ChatOpenAI({ apiKey: 'sk-test', model: 'stub-model', configuration: { baseURL: stub.baseURL }, streaming: true, maxRetries: 0 })
    stub.reply({ content: '保险期限是1.5年，即2021年1月至2022年6月。', toolCalls: [{ name: 'lookup', arguments: '{"q":"x"}' }] })
    let text = ''
    const calls: string[] = []
    for await (const chunk of await streaming.stream('hi')) {
      text += String(chunk.content)
      for (const t of chunk.tool_call_chunks ?? []) if (t.name) calls.push(t.name)
    }
    expect(text).toBe('保险期限是1.5年，即2021年1月至2022年6月。')
    expect(calls).toEqual(['lookup'])
    expect(stub.requests.at(-1)!.stream).toBe(true)
  })
})

describe('model mode: the answer’s language', () => {
  it('an English question answered in Chinese is sent back once, then the embedded English answer', async () => {
    const { bot } = modelBot()
    stub.reply({ content: '保险期限是1.5年，即2021年1月至2022年6月。' })
    expect(await chat(bot).say('How long is the policy period?')).toBe(await embedded('How long is the policy period?'))
    expect(lastUser(stub.requests[1]!)).toContain('回答必须用英文')
  })

  it('Chinese names and places in an English answer are fine', async () => {
    const { bot } = modelBot()
    const c = chat(bot)
    await c.say('我们在沙井')
    stub.reply({ content: "The policy period is 1.5 years. For Bao'an District (宝安区) your account manager is 吕宇翔, 13699865957." })
    expect(await c.say('How long is the policy period?')).toContain('your account manager is 吕宇翔, 13699865957.')
  })
})

describe('model mode: personal data stays with us', () => {
  it('phones and credit codes in the conversation reach the provider masked', async () => {
    const { bot } = modelBot()
    const c = chat(bot)
    await c.say('我的手机是13812345678，信用代码91440300MA5EXAMP1F')
    stub.reply({ content: '保险期限是1.5年。' })
    await c.say('保险期限多久，我手机13812345678')
    const sent = JSON.stringify(stub.requests.at(-1)!.messages)
    expect(sent).toContain('138****5678')
    expect(sent).not.toContain('13812345678')
    expect(sent).not.toContain('91440300MA5EXAMP1F')
  })
})
