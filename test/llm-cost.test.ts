import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBot, type Bot } from '../src/bot.js'
import type { Knowledge } from '../src/knowledge/knowledge.js'
import type { ModelSettings } from '../src/llm/mode.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { createRedisClient } from '../src/store/redis-client.js'
import { createRedisStore } from '../src/store/redis-store.js'
import type { Store } from '../src/store/types.js'
import { chat, realKnowledge, silentLogger, testBot } from './helpers/bot.js'
import { startOpenAiStub, stubModel, type OpenAiStub } from './helpers/openai-stub.js'

// The shared test Redis; no skip: without Redis this suite fails.
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
const prefix = `tbllm:${randomUUID().slice(0, 8)}:`

let stub: OpenAiStub
const redisClients: Redis[] = []
beforeAll(async () => {
  stub = await startOpenAiStub()
})
afterAll(async () => {
  await stub.close()
  const redis = redisClients[0]
  if (redis) {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length) await redis.del(...keys)
  }
  for (const r of redisClients) r.disconnect()
})

function modelBot(store: Store, settings: Partial<ModelSettings> = {}, knowledge: Knowledge = realKnowledge().knowledge): Bot {
  return createBot({ knowledge, segmenter: realKnowledge().segmenter, store, logger: silentLogger, model: stubModel(stub, settings) })
}
const memory = () => createMemoryStore({ sessionTtlSeconds: 3600 })
async function redisStore(): Promise<Store> {
  const redis = createRedisClient(REDIS_URL, silentLogger)
  await redis.connect()
  redisClients.push(redis)
  return createRedisStore({ redis, prefix, sessionTtlSeconds: 3600 })
}
const ANSWER = '保险期限是1.5年，即2021年1月至2022年6月。'

describe('model mode: answer cache', () => {
  it('the same question with the same sources is answered from the cache: no second model call', async () => {
    const bot = modelBot(memory())
    stub.requests.length = 0
    stub.reply({ content: ANSWER })
    const first = await chat(bot).say('保险期限多久')
    // Another user, the same question in other wording that normalises the same (full-width, traditional).
    stub.reply({ content: '这次不该被问到。' })
    const second = await chat(bot).say('保險期限多久？')
    expect(second).toBe(first)
    expect(stub.requests).toHaveLength(1)
    expect(bot.model!.stats()).toMatchObject({ cacheHits: 1, calls: 1 })
  })

  it('is shared by instances on one Redis, and a changed knowledge base (new hash) is not served old answers', async () => {
    const [a, b] = [modelBot(await redisStore()), modelBot(await redisStore())]
    stub.requests.length = 0
    stub.reply({ content: ANSWER })
    const question = `保险期限多久（${randomUUID().slice(0, 4)}）`
    await chat(a).say(question)
    expect(await chat(b).say(question)).toContain(ANSWER)
    expect(stub.requests).toHaveLength(1)
    // The knowledge base was edited: same question, same sections, another hash.
    const { knowledge } = realKnowledge()
    const edited: Knowledge = { ...knowledge, contacts: { ...knowledge.contacts, app: { ...knowledge.contacts.app, name: `${knowledge.contacts.app.name}APP` } } }
    const c = modelBot(await redisStore(), {}, edited)
    await chat(c).say(question)
    expect(stub.requests).toHaveLength(2)
  })

  it('a follow-up that leans on the conversation is never answered from the cache', async () => {
    const bot = modelBot(memory())
    stub.requests.length = 0
    stub.reply({ content: ANSWER })
    await chat(bot).say('那保险期限呢')
    await chat(bot).say('那保险期限呢')
    expect(stub.requests).toHaveLength(2)
  })

  it('with OPENAI_CACHE_TTL_SECONDS=0 nothing is cached', async () => {
    const bot = modelBot(memory(), { cacheTtlSeconds: 0 })
    stub.requests.length = 0
    stub.reply({ content: ANSWER })
    await chat(bot).say('保险期限多久')
    await chat(bot).say('保险期限多久')
    expect(stub.requests).toHaveLength(2)
  })
})

describe('model mode: per-user rate limit', () => {
  const questions = ['保险期限多久', '统保是什么', '有什么免费服务', '保单怎么网上领']
  it('over the limit the user gets the embedded answer and no model call; other users are not affected', async () => {
    const bot = modelBot(memory(), { userLimit: 2, cacheTtlSeconds: 0 })
    stub.requests.length = 0
    stub.reply({ content: '好的。' })
    const u = chat(bot)
    for (const q of questions.slice(0, 2)) await u.say(q)
    expect(stub.requests).toHaveLength(2)
    expect(await u.say(questions[2]!)).toBe(await chat(testBot()).say(questions[2]!))
    expect(stub.requests).toHaveLength(2)
    expect(bot.model!.stats().fallbacks['rate-limited']).toBe(1)
    await chat(bot).say(questions[3]!)
    expect(stub.requests).toHaveLength(3)
  })

  it('counts across instances on one Redis', async () => {
    const [a, b] = [modelBot(await redisStore(), { userLimit: 1, cacheTtlSeconds: 0 }), modelBot(await redisStore(), { userLimit: 1, cacheTtlSeconds: 0 })]
    stub.requests.length = 0
    stub.reply({ content: '好的。' })
    const userId = `rl-${randomUUID().slice(0, 6)}`
    await chat(a, userId).say(questions[0]!)
    expect(stub.requests).toHaveLength(1)
    expect(await chat(b, userId).say(questions[1]!)).toBe(await chat(testBot()).say(questions[1]!))
    expect(stub.requests).toHaveLength(1)
  })

  it('the window ends: the user is served by the model again', async () => {
    let t = Date.UTC(2026, 0, 5, 9)
    const { knowledge, segmenter } = realKnowledge()
    const bot = createBot({ knowledge, segmenter, store: memory(), logger: silentLogger, now: () => t, model: stubModel(stub, { userLimit: 1, userWindowSeconds: 60, cacheTtlSeconds: 0 }) })
    stub.requests.length = 0
    stub.reply({ content: '好的。' })
    const u = chat(bot)
    await u.say(questions[0]!)
    await u.say(questions[1]!)
    expect(stub.requests).toHaveLength(1)
    t += 61_000
    await u.say(questions[2]!)
    expect(stub.requests).toHaveLength(2)
  })
})
