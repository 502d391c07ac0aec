import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBot, type Bot } from '../src/bot.js'
import { createApp } from '../src/http/app.js'
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

const Q = '保险期限多久'
const embedded = (q = Q) => chat(testBot()).say(q)

describe('model mode: every failure gives the embedded answer', () => {
  it('HTTP 500: the library retries once (not six times), then the embedded answer', async () => {
    const bot = modelBot()
    stub.reply({ status: 500 })
    expect(await chat(bot).say(Q)).toBe(await embedded())
    expect(stub.requests).toHaveLength(2)
    expect(bot.model!.stats().fallbacks).toEqual({ error: 1 })
  })

  it('a model slower than the deadline: the embedded answer when the deadline passes', async () => {
    const bot = modelBot({ timeoutMs: 300 })
    stub.reply({ content: '保险期限是1.5年。', delayMs: 2000 })
    expect(await chat(bot).say(Q)).toBe(await embedded())
    expect(bot.model!.stats().fallbacks).toEqual({ timeout: 1 })
  })

  it('empty content', async () => {
    const bot = modelBot()
    stub.reply({ content: '' })
    expect(await chat(bot).say(Q)).toBe(await embedded())
    expect(bot.model!.stats().fallbacks).toEqual({ empty: 1 })
  })

  it('only thinking and no answer (a reasoning model cut short)', async () => {
    const bot = modelBot()
    stub.reply({ content: '<think>保险期限应该是两年吧</think>' })
    expect(await chat(bot).say(Q)).toBe(await embedded())
  })

  it('malformed tool calls instead of an answer', async () => {
    const bot = modelBot()
    stub.reply({ content: null, toolCalls: [{ name: 'search_policy', arguments: '{"query": "保险期限' }] })
    expect(await chat(bot).say(Q)).toBe(await embedded())
    expect(bot.model!.stats().fallbacks).toEqual({ empty: 1 })
  })

  it('a part of a several-question message whose model call fails still gets its embedded answer', async () => {
    const bot = modelBot()
    stub.reply({ status: 500 })
    const q = '保险期限多久？宝安区客户经理是谁？'
    expect(await chat(bot).say(q)).toBe(await embedded(q))
  })
})

describe('model mode: circuit breaker', () => {
  it('after repeated failures no call goes out until the cooldown; /healthz shows the open circuit', async () => {
    const bot = modelBot({ breakerFailures: 2, breakerCooldownMs: 60_000 })
    const app = createApp({ engine: bot.engine, store: bot.store, logger: silentLogger, maxTextLength: 1000, model: bot.model })
    expect(await (await app.request('/healthz')).json()).toMatchObject({ model: 'on', modelName: 'stub-model', circuit: 'closed' })
    stub.reply({ status: 503 })
    const c = chat(bot)
    await c.say(Q)
    await c.say('统保是什么')
    const calls = stub.requests.length
    // Open: the embedded answer at once, without asking the provider.
    stub.reply({ content: '保险期限是1.5年。' })
    expect(await c.say(Q)).toBe(await embedded())
    expect(stub.requests).toHaveLength(calls)
    expect(bot.model!.stats().fallbacks['circuit-open']).toBe(1)
    expect(await (await app.request('/healthz')).json()).toMatchObject({ status: 'ok', model: 'on', circuit: 'open' })
  })

  it('after the cooldown one trial call decides: success closes the circuit', async () => {
    const bot = modelBot({ breakerFailures: 1, breakerCooldownMs: 200 })
    stub.reply({ status: 500 })
    const c = chat(bot)
    await c.say(Q)
    expect(bot.model!.health().circuit).toBe('open')
    await new Promise((r) => setTimeout(r, 250))
    stub.reply({ content: '保险期限是1.5年。' })
    expect(await c.say(Q)).toContain('保险期限是1.5年。')
    expect(bot.model!.health().circuit).toBe('closed')
  })

  it('without a model /healthz says model mode is off', async () => {
    const bot = testBot()
    const app = createApp({ engine: bot.engine, store: bot.store, logger: silentLogger, maxTextLength: 1000 })
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok', store: 'ok', model: 'off' })
  })
})
