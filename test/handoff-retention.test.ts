import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { buildStore } from '../src/store/build-store.js'
import type { Handoff, HandoffStore } from '../src/store/types.js'
import { silentLogger } from './helpers/bot.js'
import { pageText, signedIn } from './helpers/console.js'
import { handoffSetup, THURSDAY_10AM } from './helpers/handoff.js'

/** Handoff ids as the desk draws them (12 hex digits), in the order they were asked. */
const idOf = (n: number) => n.toString(16).padStart(12, '0')

function handoff(n: number, district = '南山区'): Handoff {
  const at = THURSDAY_10AM - 3600_000 + n * 1000
  return {
    id: idOf(n),
    owner: `api:firm-${n}`,
    channel: 'api',
    userId: `firm-${n}`,
    status: 'waiting',
    version: 1,
    createdAt: at,
    updatedAt: at,
    reason: 'asked',
    messages: [{ at, from: 'user', text: `转人工 ${n}` }],
    facts: { district },
  }
}

async function openMany(store: HandoffStore, from: number, count: number, district?: string): Promise<void> {
  for (let n = from; n < from + count; n++) await store.open(handoff(n, district))
}

async function closeMany(store: HandoffStore, from: number, count: number, district?: string): Promise<void> {
  for (let n = from; n < from + count; n++) {
    await store.open(handoff(n, district))
    const closedAt = THURSDAY_10AM - 1800_000 + n * 1000
    expect(await store.replace({ ...handoff(n, district), version: 2, status: 'closed', closedAt, closedBy: 'user', updatedAt: closedAt })).toBe(true)
  }
}

/** The handoffs linked from a section of the queue page (its 查看 links), in page order. */
function linked(html: string, section: 'queue' | 'closed'): string[] {
  const start = section === 'queue' ? html.indexOf('id="queue"') : html.indexOf('最近结束的')
  const part = html.slice(start, html.indexOf('</section>', start))
  return [...part.matchAll(/href="\/console\/handoffs\/([0-9a-f]{12})"/g)].map((m) => m[1]!)
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => idOf(from + i))

describe('the handoff queue in pages', () => {
  it('shows open handoffs 30 a page, oldest first, with 上一页 / 下一页 and 第 N / M 页; the refresh stays on its page', async () => {
    const s = handoffSetup()
    await s.addStaff('zhang', 'hotline')
    await openMany(s.store.handoffs, 1, 70)
    const zhang = await signedIn(s.app, 'zhang')

    const first = await (await zhang.get('/console/handoffs')).text()
    expect(linked(first, 'queue')).toEqual(range(1, 30))
    expect(pageText(first)).toContain('等待和接待中（70）')
    expect(pageText(first)).toContain('第 1 / 3 页')
    expect(first).toContain('href="/console/handoffs?page=2">下一页</a>')
    expect(first).not.toContain('上一页')

    const third = await (await zhang.get('/console/handoffs?page=3')).text()
    expect(linked(third, 'queue')).toEqual(range(61, 10))
    expect(pageText(third)).toContain('第 3 / 3 页')
    expect(third).toContain('href="/console/handoffs?page=2">上一页</a>')
    expect(third).not.toContain('下一页')
    // The 15-second refresh asks for the page it is on, and gets that page's open handoffs.
    expect(third).toContain('hx-get="/console/handoffs?page=3"')
    const refreshed = await (await zhang.request('/console/handoffs?page=3', { headers: { 'HX-Request': 'true' } })).text()
    expect(linked(refreshed, 'queue')).toEqual(range(61, 10))

    // A page past the end (the queue got shorter since the link was made) shows the last one; nonsense shows the first.
    expect(linked(await (await zhang.get('/console/handoffs?page=9')).text(), 'queue')).toEqual(range(61, 10))
    expect(linked(await (await zhang.get('/console/handoffs?page=-1')).text(), 'queue')).toEqual(range(1, 30))
  })

  it('shows closed handoffs 20 a page, the last closed first, keeping the open list on its page', async () => {
    const s = handoffSetup()
    await s.addStaff('zhang', 'hotline')
    await openMany(s.store.handoffs, 1, 40)
    await closeMany(s.store.handoffs, 100, 45)
    const zhang = await signedIn(s.app, 'zhang')

    const first = await (await zhang.get('/console/handoffs?page=2')).text()
    expect(linked(first, 'closed')).toEqual(range(125, 20).reverse())
    expect(first).toContain('href="/console/handoffs?page=2&amp;closedPage=2">下一页</a>')
    const last = await (await zhang.get('/console/handoffs?page=2&closedPage=3')).text()
    expect(linked(last, 'closed')).toEqual(range(100, 5).reverse())
    expect(linked(last, 'queue')).toEqual(range(31, 10))
    expect(pageText(last)).toContain('第 3 / 3 页')
    expect(last).toContain('href="/console/handoffs?page=2&amp;closedPage=2">上一页</a>')
    expect(last).toContain('hx-get="/console/handoffs?page=2&amp;closedPage=3"')
  })

  it('pages a manager’s own districts only', async () => {
    const s = handoffSetup()
    await s.addStaff('wang', 'manager', ['宝安区'])
    await openMany(s.store.handoffs, 1, 20, '南山区')
    await openMany(s.store.handoffs, 21, 35, '宝安区')
    await closeMany(s.store.handoffs, 100, 30, '南山区')
    await closeMany(s.store.handoffs, 200, 25, '宝安区')
    const wang = await signedIn(s.app, 'wang')

    const second = await (await wang.get('/console/handoffs?page=2&closedPage=2')).text()
    expect(pageText(second)).toContain('等待和接待中（35）')
    expect(linked(second, 'queue')).toEqual(range(51, 5))
    expect(linked(second, 'closed')).toEqual(range(200, 5).reverse())
    expect(pageText(second)).not.toContain('南山区')
  })
})

describe('HANDOFF_KEEP_CLOSED', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('reaches the embedded store: closing one more than it deletes the first closed, and no open one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-retention-'))
    dirs.push(dir)
    const store = await buildStore(loadConfig({ DATA_DIR: dir, HANDOFF_KEEP_CLOSED: '10', LOG_LEVEL: 'silent' }), silentLogger)
    try {
      await openMany(store.handoffs, 1, 3)
      await closeMany(store.handoffs, 100, 10)
      expect(await store.handoffs.get(idOf(100))).toBeDefined()
      await closeMany(store.handoffs, 110, 1)
      expect(await store.handoffs.get(idOf(100))).toBeUndefined()
      expect(await store.handoffs.countClosed()).toBe(10)
      expect((await store.handoffs.listOpen()).map((h) => h.id)).toEqual(range(1, 3))
    } finally {
      await store.close()
    }
  })
})
