import { describe, expect, it } from 'vitest'
import { standardWording } from '../../src/text/colloquial.js'
import { normalize } from '../../src/text/normalize.js'

const std = (t: string) => standardWording(normalize(t))

describe('colloquial and Cantonese wording', () => {
  it('reads Cantonese questions as standard Chinese', () => {
    expect(std('買家走佬咗，賠唔賠㗎？')).toBe('买家跑路了,赔不赔㗎?')
    expect(std('保多耐')).toBe('保多久')
    expect(std('最多賠幾多')).toBe('最多赔多少')
    expect(std('我哋喺寶安，揾邊個')).toBe('我们在宝安,找谁')
    expect(std('客户唔俾钱点算')).toBe('客户不给钱怎么办')
  })
  it('fixes the common homophone typos of the domain words', () => {
    expect(std('陪付比列是多少')).toBe('赔付比例是多少')
    expect(std('理陪电话')).toBe('理赔电话')
  })
  it('leaves ordinary Chinese alone', () => {
    expect(std('关系到赔付吗')).toBe('关系到赔付吗')
    expect(std('赔付比例是多少')).toBe('赔付比例是多少')
  })
})
