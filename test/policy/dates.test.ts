import { describe, expect, it } from 'vitest'
import { findMonths, findYearlessMonths, formatMonthEn } from '../../src/policy/dates.js'
import { normalize } from '../../src/text/normalize.js'

// 10 August 2022, 10:00 in Shenzhen
const NOW = new Date(Date.UTC(2022, 7, 10, 2))
const first = (t: string) => {
  const m = findMonths(normalize(t), NOW)[0]
  return m && { year: m.year, month: m.month, day: m.day, relative: m.relative }
}

describe('findMonths: declaration dates in every phrasing', () => {
  it.each<[string, number, number | undefined, number | undefined]>([
    ['2021年5月出的货', 2021, 5, undefined],
    ['21年3月发的货', 2021, 3, undefined],
    ['2022年6月底走的货', 2022, 6, undefined],
    ['2022年6月30号报关', 2022, 6, 30],
    ['2021年十二月出运', 2021, 12, undefined],
    ['2021-05', 2021, 5, undefined],
    ['2021.11 shipped', 2021, 11, undefined],
    ['shipped in June 2021', 2021, 6, undefined],
    ['Jan 2021', 2021, 1, undefined],
    ['Jan. 2021 invoice', 2021, 1, undefined],
    ['June 30, 2022', 2022, 6, 30],
    ['30 June 2022', 2022, 6, 30],
    ['shipped in July 2022', 2022, 7, undefined],
    ['05/2021', 2021, 5, undefined],
    ['30/06/2022', 2022, 6, 30],
    ['goods exported in 2021', 2021, undefined, undefined],
  ])('%s', (t, year, month, day) => {
    expect(first(t)).toEqual({ year, month, day, relative: false })
  })

  it('resolves 去年, last June and last year against the message time (China time)', () => {
    expect(first('去年6月出的货')).toEqual({ year: 2021, month: 6, day: undefined, relative: true })
    // In August 2022 the latest June before this month is June 2022; in March 2023 it would be June 2022 too.
    expect(first('we shipped last June')).toEqual({ year: 2022, month: 6, day: undefined, relative: true })
    expect(findMonths('last june', new Date(Date.UTC(2023, 2, 1)))[0]).toMatchObject({ year: 2022, month: 6 })
    expect(findMonths('last june', new Date(Date.UTC(2022, 5, 15)))[0]).toMatchObject({ year: 2021, month: 6 })
    expect(first('shipped last year')).toEqual({ year: 2021, month: undefined, day: undefined, relative: true })
    // 31 December 2021, 20:00 UTC is already 2022 in Shenzhen
    expect(findMonths('今年3月', new Date(Date.UTC(2021, 11, 31, 20)))[0]).toMatchObject({ year: 2022, month: 3 })
  })

  it('does not read amounts, durations or ordinary words as dates', () => {
    expect(findMonths(normalize('逾期3个月了，欠2000万'), NOW)).toEqual([])
    expect(findMonths('we may claim for 2000 usd', NOW)).toEqual([])
    expect(findMonths('exports of 2021k usd', NOW)).toEqual([])
    expect(findMonths('the market is bad', NOW)).toEqual([])
  })

  it('finds several months in order', () => {
    const ms = findMonths(normalize('2021年9月出运，付款期2022年1月'), NOW)
    expect(ms.map((m) => [m.year, m.month])).toEqual([
      [2021, 9],
      [2022, 1],
    ])
  })
})

describe('findYearlessMonths', () => {
  it('finds a month given without its year, outside dated references', () => {
    const t = normalize('6月30号报关的，2021年5月那批没事')
    const y = findYearlessMonths(t, findMonths(t, NOW))
    expect(y).toEqual([{ month: 6, day: 30, raw: '6月30号', index: 0 }])
    expect(findYearlessMonths('shipped in june')[0]).toMatchObject({ month: 6 })
    expect(findYearlessMonths('we may claim')).toEqual([])
    expect(findYearlessMonths(normalize('逾期3个月'))).toEqual([])
  })
})

describe('formatMonthEn', () => {
  it('writes the month in English', () => {
    expect(formatMonthEn({ year: 2021, month: 1 })).toBe('January 2021')
    expect(formatMonthEn({ year: 2021 })).toBe('2021')
  })
})
