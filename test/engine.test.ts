import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../src/store/memory-store.js'
import { chat, testBot } from './helpers/bot.js'

describe('engine sessions', () => {
  it('keeps each user\'s context apart', async () => {
    const bot = testBot()
    const a = chat(bot, 'alice')
    const b = chat(bot, 'bob')
    await a.say('有没有理赔案例')
    expect(await b.say('详细一点')).toContain('请先告诉我')
    expect(await a.say('详细一点')).toContain('130票货物')
  })

  it('forgets a session after it expires', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z')
    const now = () => t
    const bot = testBot({ store: createMemoryStore({ sessionTtlSeconds: 60, now }), now })
    const c = chat(bot)
    await c.say('有没有理赔案例')
    t += 61_000
    expect(await c.say('详细一点')).toContain('请先告诉我')
  })

  it('runs one user\'s concurrent messages one after another, losing no update', async () => {
    const bot = testBot()
    const c = chat(bot, 'carol')
    const [, second] = await Promise.all([c.say('有没有理赔案例'), c.say('详细一点')])
    expect(second).toContain('130票货物')
  })
})
