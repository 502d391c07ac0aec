import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { describeHours, describeMoment, isOpen, nextOpening, parseHours } from '../src/handoff/hours.js'

/** A moment in Beijing time (UTC+8). */
const bj = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h - 8, min)

describe('office hours (HANDOFF_HOURS, Beijing time)', () => {
  const weekdays = parseHours('mon-fri 09:00-18:00')

  it('are open on weekdays from 9:00 to 18:00 Beijing time, whatever the server clock says', () => {
    // 2026-11-26 is a Thursday.
    expect(isOpen(weekdays, bj(2026, 11, 26, 9, 0))).toBe(true)
    expect(isOpen(weekdays, bj(2026, 11, 26, 17, 59))).toBe(true)
    expect(isOpen(weekdays, bj(2026, 11, 26, 18, 0))).toBe(false)
    expect(isOpen(weekdays, bj(2026, 11, 26, 8, 59))).toBe(false)
    // 01:30 UTC on Saturday is 09:30 Saturday in Beijing; 23:30 UTC on Sunday is 07:30 Monday.
    expect(isOpen(weekdays, bj(2026, 11, 28, 9, 30))).toBe(false)
    expect(isOpen(weekdays, bj(2026, 11, 30, 9, 30))).toBe(true)
  })

  it('say when staff are next in: later today, tomorrow, or after the weekend', () => {
    const early = bj(2026, 11, 26, 7, 15)
    expect(nextOpening(weekdays, early)).toBe(bj(2026, 11, 26, 9))
    expect(describeMoment(nextOpening(weekdays, early)!, early)).toBe('今天 9:00')
    const evening = bj(2026, 11, 26, 20)
    expect(describeMoment(nextOpening(weekdays, evening)!, evening)).toBe('明天（周五）9:00')
    const friday = bj(2026, 11, 27, 18, 30)
    expect(nextOpening(weekdays, friday)).toBe(bj(2026, 11, 30, 9))
    expect(describeMoment(nextOpening(weekdays, friday)!, friday)).toBe('周一（11月30日）9:00')
    expect(nextOpening(weekdays, bj(2026, 11, 26, 10))).toBe(bj(2026, 11, 26, 10))
  })

  it('read split days, several ranges and "always"', () => {
    const split = parseHours('mon-fri 09:00-12:00,13:30-18:00; sat 09:00-12:00')
    expect(isOpen(split, bj(2026, 11, 26, 12, 30))).toBe(false)
    expect(nextOpening(split, bj(2026, 11, 26, 12, 30))).toBe(bj(2026, 11, 26, 13, 30))
    expect(isOpen(split, bj(2026, 11, 28, 10))).toBe(true)
    expect(describeHours(split)).toBe('周一至周五 9:00–12:00、13:30–18:00；周六 9:00–12:00（北京时间）')
    expect(describeHours(weekdays)).toBe('周一至周五 9:00–18:00（北京时间）')
    const always = parseHours('always')
    expect(isOpen(always, bj(2026, 11, 29, 3))).toBe(true)
    expect(nextOpening(always, 0)).toBeUndefined()
    expect(parseHours('工作日 08:30-17:30').rules[0]).toEqual({ days: [1, 2, 3, 4, 5], from: 510, to: 1050 })
  })

  it('default to weekdays 9–18, and a bad setting stops start-up naming the variable', () => {
    expect(loadConfig({}).HANDOFF_HOURS).toEqual(weekdays)
    expect(loadConfig({}).HANDOFF_PICKUP_MINUTES).toBe(10)
    expect(loadConfig({ HANDOFF_HOURS: 'always', HANDOFF_PICKUP_MINUTES: '3' })).toMatchObject({ HANDOFF_HOURS: { always: true }, HANDOFF_PICKUP_MINUTES: 3 })
    expect(() => loadConfig({ HANDOFF_HOURS: 'weekdays 9-18' })).toThrow(/HANDOFF_HOURS: time "9" must be HH:MM/)
    expect(() => loadConfig({ HANDOFF_HOURS: 'mon-fry 09:00-18:00' })).toThrow(/HANDOFF_HOURS: unknown day "mon-fry"/)
    expect(() => loadConfig({ HANDOFF_HOURS: 'mon 18:00-09:00' })).toThrow(/HANDOFF_HOURS: "18:00-09:00" ends before it starts/)
    expect(() => loadConfig({ HANDOFF_PICKUP_MINUTES: '0' })).toThrow(/HANDOFF_PICKUP_MINUTES/)
  })
})
