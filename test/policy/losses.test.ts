import { describe, expect, it } from 'vitest'
import { figureOf, findLosses, readLosses, updateLosses } from '../../src/policy/losses.js'

const amounts = (text: string) => findLosses(text).map((g) => g.amounts.map((a) => a.value))

describe('findLosses: one group per buyer or issuing bank', () => {
  it('puts several shipments of one named buyer in one group', () => {
    expect(findLosses('买方A三票分别6万、7万、8万美元没收回来')).toEqual([
      {
        party: 'buyer',
        name: '买方A',
        amounts: [
          { value: 60_000, currency: 'USD' },
          { value: 70_000, currency: 'USD' },
          { value: 80_000, currency: 'USD' },
        ],
      },
    ])
  })

  it('keeps two invoices of the same customer together', () => {
    expect(amounts('同一个客户两张发票，分别10万和12万美元，能赔多少')).toEqual([[100_000, 120_000]])
    expect(amounts('欠了6万和7万美元，都是同一个买家的')).toEqual([[60_000, 70_000]])
  })

  it('splits named buyers, and lets one stated currency cover the figures said without one', () => {
    const groups = findLosses('A客户欠6万和7万，B客户欠8万美元')
    expect(groups.map((g) => g.name)).toEqual(['A客户', 'B客户'])
    expect(groups.map((g) => g.amounts.map((a) => [a.value, a.currency]))).toEqual([
      [
        [60_000, 'USD'],
        [70_000, 'USD'],
      ],
      [[80_000, 'USD']],
    ])
  })

  it('gives each of "two buyers" its own group', () => {
    expect(amounts('两个买家分别欠30万和5万')).toEqual([[300_000], [50_000]])
    expect(amounts('两个客户一个欠20万美元一个欠8万美元，各能赔多少')).toEqual([[200_000], [80_000]])
    expect(amounts('two buyers owe us 300k and 50k USD')).toEqual([[300_000], [50_000]])
  })

  it('makes an issuing bank its own party, by name when named', () => {
    expect(findLosses('L/C开证行倒闭，欠我们20万美元')).toEqual([{ party: 'bank', amounts: [{ value: 200_000, currency: 'USD' }] }])
    const banks = findLosses('汇丰银行开的信用证拒付了15万美元，另外德意志银行拒付8万美元')
    expect(banks.map((g) => [g.party, g.name])).toEqual([
      ['bank', '汇丰银行'],
      ['bank', '德意志银行'],
    ])
    expect(readLosses('两张信用证，同一家开证行，分别20万和10万美元', { answering: true }).groups).toEqual([
      {
        party: 'bank',
        amounts: [
          { value: 200_000, currency: 'USD' },
          { value: 100_000, currency: 'USD' },
        ],
      },
    ])
  })

  it('keeps names as written, in English too', () => {
    expect(findLosses('德国的Gamma公司欠我们12.5万美元，2021年9月出的货').map((g) => g.name)).toEqual(['Gamma公司'])
    expect(findLosses('ACME Co., Ltd. owes us USD 200,000').map((g) => g.name)).toEqual(['ACME Co., Ltd.'])
    expect(findLosses('Buyer A owes 60k and 70k USD, buyer B owes 80k USD').map((g) => [g.name, g.amounts.length])).toEqual([
      ['Buyer A', 2],
      ['buyer B', 1],
    ])
  })

  it('remembers the range of an approximate loss', () => {
    expect(findLosses('客户拖欠了大概20万美金')[0]!.amounts).toEqual([{ value: 200_000, currency: 'USD', approx: true, low: 180_000, high: 220_000 }])
    expect(figureOf({ value: 200_000, currency: 'USD', approx: true })).toMatchObject({ approx: { low: 180_000, high: 220_000 } })
  })

  it('leaves out exports, limits and payouts, and messages with no loss in them', () => {
    expect(amounts('我们2020年出口600万美元，买家欠了20万美元，能赔多少')).toEqual([[200_000]])
    expect(findLosses('2020年出口额600万美元')).toEqual([])
    expect(findLosses('单一买方限额15万美元是按每个买家算吗')).toEqual([])
    expect(findLosses('案例里那家企业最后获得了15万美元的赔偿')).toEqual([])
    expect(findLosses('你好')).toEqual([])
  })
})

describe('readLosses: how the grouping was decided', () => {
  it('says when it assumed different buyers or one buyer', () => {
    expect(readLosses('30万美元和5万美元能赔多少').grouping).toBe('assumed-separate')
    expect(readLosses('买家欠了30万美元和5万美元').grouping).toBe('assumed-same')
    expect(readLosses('买家欠了10万美元能赔多少').grouping).toBe('single')
    expect(readLosses('两个买家分别欠30万和5万').grouping).toBe('stated')
  })

  it('knows a message that adds a buyer to the earlier ones', () => {
    expect(readLosses('还有一个买家欠5万呢').additive).toBe(true)
    expect(readLosses('another buyer owes 50k USD').additive).toBe(true)
    expect(readLosses('一个客户欠20万，另一个欠8万').additive).toBe(false)
  })
})

describe('updateLosses', () => {
  const before = findLosses('买家欠了30万美元')
  it('adds on "还有…", replaces otherwise, keeps the old when the message has no loss', () => {
    expect(updateLosses(before, '还有一个买家欠5万美元')?.map((g) => g.amounts[0]!.value)).toEqual([300_000, 50_000])
    expect(updateLosses(before, '买家欠了20万美元')?.map((g) => g.amounts[0]!.value)).toEqual([200_000])
    expect(updateLosses(before, '赔付比例是多少')).toBe(before)
  })
})
