import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../src/store/memory-store.js'
import { StoreUnavailableError, type Store } from '../src/store/types.js'
import { chat, testBot } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'

const fail = async (): Promise<never> => {
  throw new StoreUnavailableError('connection refused')
}

/** A store whose backing service is gone: every call fails the way the Redis store fails. */
function brokenStore(): Store {
  const base = createMemoryStore({ sessionTtlSeconds: 60 })
  return {
    ...base,
    sessions: { get: fail, save: fail, delete: fail },
    reports: { nextSequence: fail, create: fail, bySubmission: fail, save: fail, get: fail, listByUser: fail, listByDistrict: fail, listRecent: fail, listFiled: fail, changeStatus: fail },
    roster: { replace: fail, getByCode: fail, all: fail, size: fail },
    runExclusive: fail,
    health: async () => 'degraded',
  }
}

/** A memory store that can be taken down and brought back, like Redis stopped and started (its data kept). */
function switchableStore() {
  const base = createMemoryStore({ sessionTtlSeconds: 3600 })
  let down = false
  const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A) => (down ? fail() : fn(...args))
  const wrap = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'function' ? guard(v as (...a: unknown[]) => Promise<unknown>) : v])) as T
  const store: Store = {
    ...base,
    sessions: wrap(base.sessions),
    reports: wrap(base.reports),
    roster: wrap(base.roster),
    kv: wrap(base.kv),
    runExclusive: (key, fn) => (down ? fail() : base.runExclusive(key, fn)),
  }
  return { store, base, setDown: (d: boolean) => void (down = d) }
}

async function fillForm(c: ReturnType<typeof chat>) {
  for (const [answer, expected] of FULL_REPORT) expect(await c.say(answer), answer).toContain(expected)
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

  it('answers a bare "确认" from a user it does not know as a form it cannot save, not with a policy excerpt', async () => {
    const reply = await chat(bot).say('确认')
    expect(reply).toContain('您刚才填写的报损内容这次没有记下')
    expect(reply).toContain('88325700')
    expect(reply).not.toContain('来源')
  })
})

describe('a user inside the loss report when the store goes down', () => {
  it('is told the form cannot be saved and what to do, at the confirm step and mid-form, and files once it is back', async () => {
    const { store, base, setDown } = switchableStore()
    const bot = testBot({ store })
    const c = chat(bot)
    await fillForm(c)
    setDown(true)
    for (const said of ['确认', '确认无误，提交', '德国', '2021年9月']) {
      const reply = await c.say(said)
      expect(reply, said).toContain('系统暂时无法保存对话，您刚才填写的报损内容这次没有记下')
      expect(reply, said).toContain('请过几分钟再发一次')
      expect(reply, said).toContain('理赔服务电话 88325700')
      expect(reply, said).not.toMatch(/来源|没有找到确切答案/)
    }
    // A question is still answered, with the note.
    const asked = await c.say('赔付比例是多少？')
    expect(asked).toContain('80%')
    expect(asked).toContain('您刚才填写的报损内容这次没有记下')
    // So is a request a rule skill knows.
    const manager = await c.say('南山区客户经理')
    expect(manager).toContain('金悠')
    expect(manager).toContain('您刚才填写的报损内容这次没有记下')
    expect(await base.reports.listRecent(10)).toEqual([])

    setDown(false)
    const done = await c.say('确认')
    expect(done).toMatch(/报损已受理，报案编号：BS\d{8}-0001/)
    expect(await base.reports.listByUser(`api:${c.userId}`)).toHaveLength(1)
  })

  it('knows the user was in the form when the store fails after reading the session', async () => {
    const { store, base } = switchableStore()
    let failSaves = false
    const bot = testBot({ store: { ...store, sessions: { ...store.sessions, save: (s) => (failSaves ? fail() : base.sessions.save(s)) } } })
    const c = chat(bot)
    await fillForm(c)
    // Another instance knows nothing of this user; its store reads the session, then cannot save it.
    const other = testBot({ store: { ...store, sessions: { ...store.sessions, save: (s) => (failSaves ? fail() : base.sessions.save(s)) } } })
    failSaves = true
    const reply = await chat(other, c.userId).say('深圳')
    expect(reply).toContain('您刚才填写的报损内容这次没有记下')
  })
})
