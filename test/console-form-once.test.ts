import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../src/store/memory-store.js'
import { StoreUnavailableError, type Store } from '../src/store/types.js'
import { consoleSetup, formId, pageText, sampleReport, signedIn } from './helpers/console.js'
import { handoffIdIn, handoffSetup } from './helpers/handoff.js'

/** A memory store whose handoff writes are stored and then reported as failed: a Redis write that timed out but landed. */
function storeThatTimesOutAfterWriting(): Store & { failNext: () => void } {
  const store = createMemoryStore({ sessionTtlSeconds: 3600, now: () => Date.UTC(2026, 10, 26, 2) })
  let fail = false
  const replace = store.handoffs.replace.bind(store.handoffs)
  store.handoffs.replace = async (next) => {
    const ok = await replace(next)
    if (fail) {
      fail = false
      throw new StoreUnavailableError('redis handoffs.replace: Command timed out')
    }
    return ok
  }
  return Object.assign(store, { failNext: () => void (fail = true) })
}

describe('each console form is done at most once', () => {
  it('a reply sent twice (a double click, a resend) reaches the exporter once; both get the same result page', async () => {
    const s = handoffSetup({ hours: 'always' })
    await s.addStaff('zhang', 'hotline')
    await s.say('firm-1', '转人工')
    const zhang = await signedIn(s.app, 'zhang')
    const id = handoffIdIn(await (await zhang.get('/console/handoffs')).text())
    const detail = await (await zhang.get(`/console/handoffs/${id}`)).text()
    const _form = formId(detail, `/console/handoffs/${id}/reply`)
    const [first, second] = await Promise.all([
      zhang.post(`/console/handoffs/${id}/reply`, { text: '您好，我是小张。', _form }),
      zhang.post(`/console/handoffs/${id}/reply`, { text: '您好，我是小张。', _form }),
    ])
    const statuses = [first.status, second.status].sort()
    // One did it; the other either saw it done (same redirect) or in progress (look before retrying).
    expect(statuses[0]).toBe(303)
    const again = await zhang.post(`/console/handoffs/${id}/reply`, { text: '您好，我是小张。', _form })
    expect(again.status).toBe(303)
    expect(again.headers.get('location')).toBe(first.status === 303 ? first.headers.get('location') : second.headers.get('location'))
    const h = (await s.store.handoffs.get(id))!
    expect(h.messages.filter((m) => m.from === 'staff')).toHaveLength(1)
    expect((await s.say('firm-1', '好的')).join().match(/您好，我是小张/g)).toHaveLength(1)
    // A new rendering of the form is a new submission.
    const fresh = formId(await (await zhang.get(`/console/handoffs/${id}`)).text(), `/console/handoffs/${id}/reply`)
    expect(fresh).not.toBe(_form)
    expect((await zhang.post(`/console/handoffs/${id}/reply`, { text: '还有别的问题吗？', _form: fresh })).status).toBe(303)
  })

  it('a refused form (empty reply) can be corrected and sent again', async () => {
    const s = handoffSetup({ hours: 'always' })
    await s.addStaff('zhang', 'hotline')
    await s.say('firm-2', '转人工')
    const zhang = await signedIn(s.app, 'zhang')
    const id = handoffIdIn(await (await zhang.get('/console/handoffs')).text())
    const _form = formId(await (await zhang.get(`/console/handoffs/${id}`)).text(), `/console/handoffs/${id}/reply`)
    expect((await zhang.post(`/console/handoffs/${id}/reply`, { text: '   ', _form })).status).toBe(400)
    expect((await zhang.post(`/console/handoffs/${id}/reply`, { text: '您好', _form })).status).toBe(303)
  })

  it('a status change sent twice is recorded once', async () => {
    const s = await consoleSetup()
    await s.store.reports.save(sampleReport('BS20261120-0001'))
    await s.addStaff('zhang', 'hotline')
    const zhang = await signedIn(s.app, 'zhang')
    const html = await (await zhang.get('/console/reports/BS20261120-0001')).text()
    const _form = formId(html, '/console/reports/BS20261120-0001/status')
    const updatedAt = /name="updatedAt" value="(\d+)"/.exec(html)?.[1]
    const fields = { status: 'in_review', note: '请补充报关单', _form, ...(updatedAt ? { updatedAt } : {}) }
    const first = await zhang.post('/console/reports/BS20261120-0001/status', fields)
    const second = await zhang.post('/console/reports/BS20261120-0001/status', fields)
    expect([first.status, second.status]).toEqual([303, 303])
    expect(second.headers.get('location')).toBe(first.headers.get('location'))
    expect((await s.store.reports.get('BS20261120-0001'))!.timeline).toHaveLength(1)
  })

  it('when the store fails during the action, says the outcome is unknown with a link to look; the same form again does nothing', async () => {
    const store = storeThatTimesOutAfterWriting()
    const s = handoffSetup({ hours: 'always', store })
    await s.addStaff('zhang', 'hotline')
    await s.say('firm-3', '转人工')
    const zhang = await signedIn(s.app, 'zhang')
    const id = handoffIdIn(await (await zhang.get('/console/handoffs')).text())
    expect((await zhang.post(`/console/handoffs/${id}/take`, {})).status).toBe(303)
    const _form = formId(await (await zhang.get(`/console/handoffs/${id}`)).text(), `/console/handoffs/${id}/reply`)
    store.failNext()
    const timedOut = await zhang.post(`/console/handoffs/${id}/reply`, { text: '材料请发到邮箱。', _form })
    expect(timedOut.status).toBe(503)
    const page = await timedOut.text()
    expect(pageText(page)).toContain('结果还不确定')
    expect(page).toContain(`href="/console/handoffs/${id}"`)
    // The agent retries the same form: refused, sent to look first — the reply was in fact stored.
    const retry = await zhang.post(`/console/handoffs/${id}/reply`, { text: '材料请发到邮箱。', _form })
    expect(retry.status).toBe(409)
    expect(pageText(await retry.text())).toContain('请先 打开记录查看')
    expect((await store.handoffs.get(id))!.messages.filter((m) => m.from === 'staff')).toHaveLength(1)
  })
})
