import { afterEach, describe, expect, it, vi } from 'vitest'
import { supervise, wechatyConnection, type Connection, type Supervisor } from '../src/channels/wechaty/supervisor.js'
import { silentLogger } from './helpers/bot.js'
import { wechatyHarness, type WechatyHarness } from './helpers/wechaty-mock.js'

/** A connection that fails to start the first `failures` times and can be made to drop. */
function fakeConnection(failures: number) {
  const calls: string[] = []
  let drop: (() => void) | undefined
  const conn: Connection = {
    async start() {
      calls.push('start')
      if (failures-- > 0) throw new Error('network unreachable')
    },
    async stop() {
      calls.push('stop')
    },
    watch(down) {
      drop = down
      return () => (drop = undefined)
    },
  }
  return { conn, calls, drop: () => drop?.() }
}

let supervisor: Supervisor | undefined
let h: WechatyHarness | undefined
afterEach(async () => {
  supervisor?.stop()
  await h?.close()
  supervisor = h = undefined
})

describe('wechaty: staying connected', () => {
  it('retries a failed start with doubling delays until it connects', async () => {
    const { conn, calls } = fakeConnection(3)
    const delays: number[] = []
    supervisor = supervise(conn, { logger: silentLogger, minDelayMs: 1000, maxDelayMs: 3000, sleep: async (ms) => void delays.push(ms) })
    await supervisor.started
    expect(calls).toEqual(['start', 'stop', 'start', 'stop', 'start', 'stop', 'start'])
    expect(delays).toEqual([1000, 2000, 3000])
  })

  it('a lost connection is stopped and started again; the delay starts over after a connection that held', async () => {
    const { conn, calls, drop } = fakeConnection(0)
    const delays: number[] = []
    let t = 0
    supervisor = supervise(conn, { logger: silentLogger, minDelayMs: 1000, maxDelayMs: 60_000, now: () => t, sleep: async (ms) => void delays.push(ms) })
    await supervisor.started
    drop()
    await vi.waitFor(() => expect(calls).toEqual(['start', 'stop', 'start']))
    drop() // lost again at once: wait longer
    await vi.waitFor(() => expect(calls.length).toBe(5))
    t += 60_000 // this one held for a minute
    drop()
    await vi.waitFor(() => expect(calls.length).toBe(7))
    expect(delays).toEqual([1000, 2000, 1000])
  })

  it('when the puppet is left off (its own reset failed), wechaty is restarted and answers again after login', async () => {
    h = await wechatyHarness()
    const harness = h
    const alice = harness.contact({ name: '张三' })
    supervisor = supervise(wechatyConnection(harness.wechaty, 10), { logger: silentLogger, minDelayMs: 1, sleep: async () => undefined })
    await supervisor.started
    const restarted = new Promise<void>((resolve) => harness.wechaty.once('start', () => resolve()))
    await harness.wechaty.puppet.stop()
    await restarted
    await vi.waitFor(() => expect(harness.wechaty.puppet.state.active()).toBe(true))
    const loggedIn = new Promise<void>((resolve) => harness.wechaty.once('login', () => resolve()))
    harness.mocker.login(harness.me)
    await loggedIn
    expect((await harness.say(alice, '赔付比例是多少')).text).toContain('80%')
  })
})
