import { describe, expect, it } from 'vitest'
import { detectLang } from '../../src/text/lang.js'

describe('reply language', () => {
  it('answers English questions in English', () => {
    expect(detectLang('Can we join the scheme? Our 2020 exports were USD 7.5M')).toBe('en')
    expect(detectLang("Who is the account manager for 宝安?")).toBe('en')
    expect(detectLang('how much can I claim')).toBe('en')
    expect(detectLang('hello')).toBe('en')
    expect(detectLang('Thanks!')).toBe('en')
  })
  it('answers Chinese, mixed and bare-number messages in Chinese', () => {
    expect(detectLang('赔付比例是多少')).toBe('zh')
    expect(detectLang('buyer owes us USD 50,000，能赔多少')).toBe('zh')
    expect(detectLang('2020 exports were USD 3.2 million, 能领保单吗')).toBe('zh')
    expect(detectLang('ok')).toBe('zh')
    expect(detectLang('12.5万美元')).toBe('zh')
  })
})
