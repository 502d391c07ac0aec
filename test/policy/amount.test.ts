import { describe, expect, it } from 'vitest'
import { formatUsd, formatUsdWan, parseAllMoney, parseMoney, type Currency } from '../../src/policy/amount.js'

describe('parseMoney: amounts', () => {
  it.each<[string, number, Currency, string]>([
    ['500万美元', 5_000_000, 'USD', '500万美元'],
    ['七百万美金', 7_000_000, 'USD', '七百万美金'],
    ['刚好800万', 8_000_000, 'UNKNOWN', '800万'],
    ['USD 7.5 million', 7_500_000, 'USD', 'USD 7.5 million'],
    ['7.5 million dollars', 7_500_000, 'USD', '7.5 million dollars'],
    ['US$1,234,567', 1_234_567, 'USD', 'US$1,234,567'],
    ['1,200,000美元', 1_200_000, 'USD', '1,200,000美元'],
    ['12.5万美元', 125_000, 'USD', '12.5万美元'],
    ['一千二百万', 12_000_000, 'UNKNOWN', '一千二百万'],
    ['0.08亿美元', 8_000_000, 'USD', '0.08亿美元'],
    ['八百萬美元', 8_000_000, 'USD', '八百萬美元'],
    ['3千万', 30_000_000, 'UNKNOWN', '3千万'],
    ['15万刀', 150_000, 'USD', '15万刀'],
    ['$100k', 100_000, 'USD', '$100k'],
    ['100K USD', 100_000, 'USD', '100K USD'],
    ['人民币500万', 5_000_000, 'CNY', '人民币500万'],
    ['500万元', 5_000_000, 'CNY', '500万元'],
    ['500万人民币', 5_000_000, 'CNY', '500万人民币'],
    ['RMB 5 million', 5_000_000, 'CNY', 'RMB 5 million'],
    ['¥500万', 5_000_000, 'CNY', '¥500万'],
    ['壹佰万元', 1_000_000, 'CNY', '壹佰万元'],
    ['港币180万', 1_800_000, 'HKD', '港币180万'],
    ['180万港元', 1_800_000, 'HKD', '180万港元'],
    ['HK$3 million', 3_000_000, 'HKD', 'HK$3 million'],
    ['五百万港幣', 5_000_000, 'HKD', '五百万港幣'],
    ['50万欧元', 500_000, 'EUR', '50万欧元'],
    ['EUR 2 million', 2_000_000, 'EUR', 'EUR 2 million'],
    ['€500k', 500_000, 'EUR', '€500k'],
    ['500万日元', 5_000_000, 'OTHER', '500万日元'],
    ['JPY 1000万', 10_000_000, 'OTHER', 'JPY 1000万'],
    ['800万', 8_000_000, 'UNKNOWN', '800万'],
    ['一百二十万', 1_200_000, 'UNKNOWN', '一百二十万'],
    ['两千五百万', 25_000_000, 'UNKNOWN', '两千五百万'],
    ['十万', 100_000, 'UNKNOWN', '十万'],
    ['两百万美元', 2_000_000, 'USD', '两百万美元'],
    ['一千零五十万', 10_500_000, 'UNKNOWN', '一千零五十万'],
    ['一千〇五十万', 10_500_000, 'UNKNOWN', '一千〇五十万'],
    ['一亿二千万', 120_000_000, 'UNKNOWN', '一亿二千万'],
    ['一万二美元', 12_000, 'USD', '一万二美元'],
    ['十二点五万美元', 125_000, 'USD', '十二点五万美元'],
    ['1.5亿', 150_000_000, 'UNKNOWN', '1.5亿'],
    ['5百万美元', 5_000_000, 'USD', '5百万美元'],
    ['1千2百万', 12_000_000, 'UNKNOWN', '1千2百万'],
    ['500 万美元', 5_000_000, 'USD', '500 万美元'],
    ['５００万美元', 5_000_000, 'USD', '５００万美元'],
    ['USD7.5m', 7_500_000, 'USD', 'USD7.5m'],
    ['US$ 500,000', 500_000, 'USD', 'US$ 500,000'],
    ['5000美元', 5_000, 'USD', '5000美元'],
    ['出口额3000000美元', 3_000_000, 'USD', '3000000美元'],
    ['出口额1,200,000', 1_200_000, 'UNKNOWN', '1,200,000'],
    ['500w', 5_000_000, 'UNKNOWN', '500w'],
    ['5 million', 5_000_000, 'UNKNOWN', '5 million'],
  ])('%s', (text, value, currency, raw) => {
    expect(parseMoney(text)).toEqual({ value, currency, raw })
  })

  it.each<[string, number, Currency]>([
    ['我司2020年出口额是480万美元左右', 4_800_000, 'USD'],
    ['2021年3月出口了两百万美元', 2_000_000, 'USD'],
    ['2020年度出口4,800,000美元', 4_800_000, 'USD'],
    ['电话13652439164，出口500万', 5_000_000, 'UNKNOWN'],
    ['30%的出口额100万美元', 1_000_000, 'USD'],
    ['公司有300人，出口额600万', 6_000_000, 'UNKNOWN'],
    ['2020年出口额约合人民币3000万元', 30_000_000, 'CNY'],
    ['买方欠款20万美元，赔付比例80%', 200_000, 'USD'],
    ['账户500万元余额', 5_000_000, 'CNY'],
    ['300万美元以内（含）', 3_000_000, 'USD'],
    ['a $5m order', 5_000_000, 'USD'],
  ])('finds the amount inside a sentence: %s', (text, value, currency) => {
    expect(parseMoney(text)).toMatchObject({ value, currency })
  })
})

describe('parseMoney: things that are not amounts', () => {
  it.each([
    '2020年',
    '2021年3月',
    '9月',
    '9月份',
    '2020年12月31日前',
    '2020年1-12月',
    '二〇二〇年',
    '2020元旦',
    '13652439164',
    '0755-88325614',
    '88325614',
    '增长80%',
    '0.5%',
    '百分之八十',
    '百分之0.5',
    '第3季度',
    '3千',
    '500',
    '5万吨',
    '10万件货',
    '三万多家企业',
    '100kg',
    '5m长',
    '千万不要错过',
    '万一出险怎么办',
    '几万美元',
    '几十万',
    '上百万美元',
    '600多个员工',
    '2块钢板',
    '统保',
    '请问一下怎么投保',
    '',
  ])('%s', (text) => {
    expect(parseMoney(text)).toBeUndefined()
    expect(parseAllMoney(text)).toEqual([])
  })
})

describe('parseMoney: approximate figures', () => {
  it.each<[string, number, Currency, number, number]>([
    ['600多万美元', 6_000_000, 'USD', 6_000_000, 7_000_000],
    ['六百几万', 6_000_000, 'UNKNOWN', 6_000_000, 7_000_000],
    ['一百多万美元', 1_000_000, 'USD', 1_000_000, 2_000_000],
    ['100多万', 1_000_000, 'UNKNOWN', 1_000_000, 2_000_000],
    ['120多万', 1_200_000, 'UNKNOWN', 1_200_000, 1_300_000],
    ['两千多万人民币', 20_000_000, 'CNY', 20_000_000, 30_000_000],
    ['1万多美元', 10_000, 'USD', 10_000, 20_000],
    ['三万多美元', 30_000, 'USD', 30_000, 40_000],
    ['十几万美元', 100_000, 'USD', 100_000, 200_000],
    ['3000多美元', 3_000, 'USD', 3_000, 4_000],
    ['大概8万美金', 80_000, 'USD', 72_000, 88_000],
    ['差不多一千万人民币', 10_000_000, 'CNY', 9_000_000, 11_000_000],
    ['约50万', 500_000, 'UNKNOWN', 450_000, 550_000],
    ['大约是人民币800万', 8_000_000, 'CNY', 7_200_000, 8_800_000],
    ['480万美元左右', 4_800_000, 'USD', 4_320_000, 5_280_000],
    ['around 2 million dollars', 2_000_000, 'USD', 1_800_000, 2_200_000],
    ['about USD 7.5 million', 7_500_000, 'USD', 6_750_000, 8_250_000],
    ['将近800万美元', 8_000_000, 'USD', 7_200_000, 8_000_000],
    ['不到800万美元', 8_000_000, 'USD', 0, 8_000_000],
    ['800万美元出头', 8_000_000, 'USD', 8_000_000, 8_800_000],
  ])('%s', (text, value, currency, low, high) => {
    const a = parseMoney(text)
    expect(a).toMatchObject({ value, currency, approx: { low, high } })
  })

  it('marks "多" and "超过" as strictly more than the figure said', () => {
    expect(parseMoney('800多万美元')?.approx).toEqual({ low: 8_000_000, high: 9_000_000, lowExclusive: true })
    expect(parseMoney('超过800万美元')?.approx).toEqual({ low: 8_000_000, high: Infinity, lowExclusive: true })
  })

  it('leaves exact figures without a range, whatever their form', () => {
    for (const t of ['7.5M', '120k USD', 'USD 7.5 million', '500万美元', '12.5万美元']) expect(parseMoney(t)?.approx).toBeUndefined()
    expect(parseMoney('our 2020 exports were 7.5M')).toEqual({ value: 7_500_000, currency: 'UNKNOWN', raw: '7.5M' })
  })

  it('does not read a contract, a range or a sum as "about"', () => {
    expect(parseMoney('签约500万美元的订单')?.approx).toBeUndefined()
    expect(parseMoney('what about 9 million dollars?')?.approx).toBeUndefined()
    expect(parseAllMoney('$100k~200k').map((a) => a.approx)).toEqual([undefined, undefined])
    expect(parseAllMoney('6万+7万+8万美元').map((a) => a.approx)).toEqual([undefined, undefined, undefined])
  })
})

describe('parseAllMoney', () => {
  it('returns every amount in order', () => {
    expect(parseAllMoney('2020年出口额500万美元，2019年300万美元')).toEqual([
      { value: 5_000_000, currency: 'USD', raw: '500万美元' },
      { value: 3_000_000, currency: 'USD', raw: '300万美元' },
    ])
  })

  it('keeps each currency separate', () => {
    expect(parseAllMoney('90万美元和20万欧元').map((a) => a.currency)).toEqual(['USD', 'EUR'])
  })

  it('shares the currency across a range', () => {
    expect(parseAllMoney('500万到800万美元')).toEqual([
      { value: 5_000_000, currency: 'USD', raw: '500万' },
      { value: 8_000_000, currency: 'USD', raw: '800万美元' },
    ])
    expect(parseAllMoney('$100k-200k').map((a) => [a.value, a.currency])).toEqual([
      [100_000, 'USD'],
      [200_000, 'USD'],
    ])
  })

  it('does not read the previous amount’s currency as a prefix of the next', () => {
    expect(parseAllMoney('500万美元 800万')).toEqual([
      { value: 5_000_000, currency: 'USD', raw: '500万美元' },
      { value: 8_000_000, currency: 'UNKNOWN', raw: '800万' },
    ])
  })

  it('shares the currency across a list of figures', () => {
    expect(parseAllMoney('分别6万、7万、8万美元').map((a) => [a.value, a.currency])).toEqual([
      [60_000, 'USD'],
      [70_000, 'USD'],
      [80_000, 'USD'],
    ])
    expect(parseAllMoney('欠了30万美元和5万').map((a) => a.currency)).toEqual(['USD', 'USD'])
    expect(parseAllMoney('2020年500万美元，2019年300万').map((a) => a.currency)).toEqual(['USD', 'UNKNOWN'])
  })

  it('treats a full-width comma as a list separator, not thousands', () => {
    expect(parseAllMoney('800，900万')).toEqual([{ value: 9_000_000, currency: 'UNKNOWN', raw: '900万' }])
  })
})

describe('formatUsd / formatUsdWan', () => {
  it.each([
    [150_000, '150,000美元'],
    [80_000, '80,000美元'],
    [1_234_567, '1,234,567美元'],
    [1_234.5, '1,234.5美元'],
    [999, '999美元'],
    [0, '0美元'],
    [-5_000, '-5,000美元'],
  ])('formatUsd(%d) = %s', (n, s) => {
    expect(formatUsd(n)).toBe(s)
  })

  it.each([
    [150_000, '15万美元'],
    [125_000, '12.5万美元'],
    [8_000_000, '800万美元'],
    [1_234_567, '123.4567万美元'],
    [5_000, '0.5万美元'],
  ])('formatUsdWan(%d) = %s', (n, s) => {
    expect(formatUsdWan(n)).toBe(s)
  })

  it('round-trips through parseMoney', () => {
    for (const n of [150_000, 125_000, 8_000_000, 1_234_567]) {
      expect(parseMoney(formatUsd(n))).toMatchObject({ value: n, currency: 'USD' })
      expect(parseMoney(formatUsdWan(n))).toMatchObject({ value: n, currency: 'USD' })
    }
  })
})
