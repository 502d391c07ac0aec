import { describe, expect, it } from 'vitest'
import { createBot } from '../src/bot.js'
import type { Session } from '../src/engine/types.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { StoreUnavailableError, type Store } from '../src/store/types.js'
import { chat, realKnowledge, silentLogger } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'

/** A bot whose managers are notified: each filed report queues one notice in the store's outbox. */
function notifyingBot(store: Store) {
  const { knowledge, segmenter } = realKnowledge()
  return createBot({ knowledge, segmenter, store, logger: silentLogger, deliverNotices: () => undefined })
}

const NUMBER = /BS\d{8}-\d{4}/g

async function fillForm(c: ReturnType<typeof chat>) {
  for (const [answer, expected] of FULL_REPORT) expect(await c.say(answer), answer).toContain(expected)
}

describe('a loss report is filed once, however often it is confirmed', () => {
  it('gives the number on the next message when the report was stored but the session was not', async () => {
    const store = createMemoryStore({ sessionTtlSeconds: 3600 })
    let loseNextSave = false
    // The process dies between storing the report and saving the session: the session write never happens.
    const crashing: Store = {
      ...store,
      sessions: {
        ...store.sessions,
        save: async (s) => {
          if (!loseNextSave) return store.sessions.save(s)
          loseNextSave = false
          throw new StoreUnavailableError('killed')
        },
      },
    }
    const bot = notifyingBot(crashing)
    const c = chat(bot)
    await fillForm(c)
    loseNextSave = true
    await c.say('确认')
    const [filed] = await store.reports.listByUser(`api:${c.userId}`)
    expect(filed?.id).toMatch(/^BS\d{8}-0001$/)
    expect((await store.sessions.get(`api:${c.userId}`))?.flow?.step).toBe('confirm')

    const next = await c.say('确认')
    expect(next).toContain(`您的报案已提交，编号：${filed!.id}`)
    expect(next).toContain('不会重复提交')
    expect(next.match(NUMBER)).toEqual([filed!.id, filed!.id])
    expect(await c.say('我的报案')).toContain(filed!.id)
    expect(await store.reports.listRecent(10)).toHaveLength(1)
    expect((await store.outbox.due(Number.MAX_SAFE_INTEGER, 10)).map((i) => i.id)).toEqual([`report-notice:${filed!.id}`])
  })

  it('answers "我的报案" right after such a crash with the filed report, not with the form', async () => {
    const store = createMemoryStore({ sessionTtlSeconds: 3600 })
    const bot = notifyingBot(store)
    const c = chat(bot)
    await fillForm(c)
    const atConfirm = (await store.sessions.get(`api:${c.userId}`))!
    const done = await c.say('确认')
    const id = done.match(NUMBER)![0]
    await store.sessions.save(atConfirm) // the session as it was before the confirm: its save was lost
    const status = await c.say('我的报案')
    expect(status).toContain(`您的报案已提交，编号：${id}`)
    expect(status).not.toContain('请回复“确认”提交')
    expect(await c.say('我的报案')).toContain(`${id}（`)
  })

  it('files one report when the same confirm reaches two instances (a retry, a second server)', async () => {
    const store = createMemoryStore({ sessionTtlSeconds: 3600 })
    const a = notifyingBot(store)
    const b = notifyingBot(store)
    const userA = chat(a)
    await fillForm(userA)
    const atConfirm: Session = (await store.sessions.get(`api:${userA.userId}`))!
    const first = (await userA.say('确认')).match(NUMBER)![0]
    // Instance b got the retry with the session from before the first confirm was saved.
    await store.sessions.save(atConfirm)
    const retried = await chat(b, userA.userId).say('确认')
    expect(retried).toContain(`您的报案已提交，编号：${first}`)
    expect(await store.reports.listRecent(10)).toHaveLength(1)
    expect(await store.outbox.size()).toBe(1)
  })

  it('keeps the submission key through corrections at the confirm step, and a new draft gets a new one', async () => {
    const store = createMemoryStore({ sessionTtlSeconds: 3600 })
    const bot = notifyingBot(store)
    const c = chat(bot)
    await fillForm(c)
    const key = (s: Session | undefined) => (s?.flow?.data as { submission?: string } | undefined)?.submission
    const first = key(await store.sessions.get(`api:${c.userId}`))
    expect(first).toMatch(/^[0-9a-f-]{36}$/)
    expect(await c.say('金额改成13万美元')).toContain('已更正')
    expect(key(await store.sessions.get(`api:${c.userId}`))).toBe(first)
    const id = (await c.say('确认')).match(NUMBER)![0]
    expect((await store.reports.get(id))?.submission).toBe(first)
    // The second draft: the district is remembered this time, so its answer is left out.
    for (const [answer] of FULL_REPORT) if (answer !== '宝安区') await c.say(answer)
    expect((await store.sessions.get(`api:${c.userId}`))?.flow?.step).toBe('confirm')
    const second = key(await store.sessions.get(`api:${c.userId}`))
    expect(second).toBeDefined()
    expect(second).not.toBe(first)
    expect((await c.say('确认')).match(NUMBER)![0]).not.toBe(id)
    expect(await store.reports.listByUser(`api:${c.userId}`)).toHaveLength(2)
  })
})
