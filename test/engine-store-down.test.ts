import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../src/store/memory-store.js'
import { StoreUnavailableError, type Store } from '../src/store/types.js'
import { chat, testBot } from './helpers/bot.js'

/** A store whose backing service is gone: every call fails the way the Redis store fails. */
function brokenStore(): Store {
  const base = createMemoryStore({ sessionTtlSeconds: 60 })
  const fail = async () => {
    throw new StoreUnavailableError('connection refused')
  }
  return {
    ...base,
    sessions: { get: fail, save: fail, delete: fail },
    reports: { nextSequence: fail, create: fail, bySubmission: fail, save: fail, get: fail, listByUser: fail, listByDistrict: fail, listRecent: fail },
    roster: { replace: fail, getByCode: fail, all: fail, size: fail },
    runExclusive: fail,
    health: async () => 'degraded',
  }
}

describe('with the store unavailable', () => {
  const bot = testBot({ store: brokenStore() })

  it('still answers policy questions and routes to the manager', async () => {
    expect(await chat(bot).say('赔付比例是多少')).toContain('80%')
    expect(await chat(bot).say('宝安区客户经理')).toContain('吕宇翔')
    expect(await chat(bot).say('买家欠了10万美元能赔多少')).toContain('80,000美元')
  })

  it('says briefly that steps needing the store are unavailable', async () => {
    expect(await chat(bot).say('我要报损')).toContain('系统暂时无法保存对话')
    expect(await chat(bot).say('我的报案')).toContain('系统暂时无法保存对话')
  })
})
