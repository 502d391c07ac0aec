import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createBot } from '../src/bot.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { maskPersonalData, maskPhone } from '../src/text/mask.js'
import { realKnowledge } from './helpers/bot.js'

/** The digits left readable, whatever separators the masked text uses. */
const digitsOf = (s: string) => s.replace(/[^0-9A-Za-z*]/g, '')

describe('maskPersonalData', () => {
  it.each([
    ['手机13800138000', '138****8000'],
    ['手机 138 0013 8000 找张先生', '138****8000'],
    ['电话：138-0013-8000', '138****8000'],
    ['１３８００１３８０００', '138****8000'],
    ['１３８　００１３　８０００', '138****8000'],
    ['１３８－００１３－８０００', '138****8000'],
    ['tel13800138000', '138****8000'],
  ])('hides the middle of a mobile number written %j', (text, masked) => {
    const out = maskPersonalData(text)
    expect(out).toContain(masked)
    expect(digitsOf(out)).not.toContain('0013')
  })

  it('hides a mobile number with a country code', () => {
    const out = maskPersonalData('+86 138 0013 8000')
    expect(digitsOf(out)).not.toContain('0013')
    expect(out).toMatch(/\*{4}/)
  })

  it.each(['0755-88325614', '0755 8832 5614', '（0755）88325614', '88325614'])('hides most of a landline written %j', (text) => {
    const out = maskPersonalData(text)
    expect(digitsOf(out)).not.toContain('8832')
    expect(out).toContain('14')
  })

  it.each([
    '91440300MA5EXAMP1F',
    '91440300ma5examp1f',
    '9144 0300 MA5E XAMP 1F',
    '9144-0300-ma5e-xamp-1f',
    '914403 00MA5E XAMP1F',
    '９１４４０３００ＭＡ５ＥＸＡＭＰ１Ｆ',
    '代码：9144 0300 ma5e xamp 1f，请核对',
  ])('hides the middle of a credit code written %j', (text) => {
    const out = maskPersonalData(text)
    expect(out).toContain('9144**********MP1F')
    expect(out.toUpperCase()).not.toContain('MA5E')
    expect(out).not.toContain('0300')
  })

  it('hides a credit code glued to other letters', () => {
    const out = maskPersonalData('ID91440300MA5EXAMP1F')
    expect(out).not.toContain('MA5E')
    expect(out).not.toContain('0300')
  })

  it.each(['44030119900101123X', '440301 19900101 123X', '440301-19900101-1234'])('hides an ID number written %j', (text) => {
    const out = maskPersonalData(text)
    expect(digitsOf(out)).not.toContain('1990')
    expect(out).toMatch(/^\d{3,4}\*{10,11}\d{3}[\dX]$/)
  })

  it('keeps amounts, dates, years and report numbers readable', () => {
    const text = '买家欠了125,000美元，2021-06-30到期，2020年出口600万，报案编号BS20261126-0007'
    expect(maskPersonalData(text)).toBe(text)
  })

  it('masks several numbers in one message and leaves the words around them', () => {
    const out = maskPersonalData('联系人王先生 138 0013 8000，公司代码 9144 0300 MA5E XAMP 1F，座机0755-88325614。')
    expect(out).toContain('联系人王先生')
    expect(out).toContain('138****8000')
    expect(out).toContain('9144**********MP1F')
    expect(digitsOf(out)).not.toContain('88325614')
  })

  it('is idempotent, so a value masked twice reads the same', () => {
    const once = maskPersonalData('138 0013 8000 / 91440300MA5EXAMP1F / 0755-88325614')
    expect(maskPersonalData(once)).toBe(once)
  })

  it('finishes on long runs of digits, letters and separators (linear patterns)', () => {
    for (const unit of ['1 ', '1-', 'a ', '9', 'A1 ', '１', '91440300 ']) {
      const out = maskPersonalData(unit.repeat(50_000))
      expect(out.length).toBeGreaterThan(0)
    }
  })
})

describe('maskPhone (notices)', () => {
  it('masks a phone however it was typed', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('138 1234 5678')).toBe('138****5678')
    expect(maskPhone('１３８１２３４５６７８')).toBe('138****5678')
    expect(maskPhone('123')).toBe('****')
  })
})

describe('logs', () => {
  it('never carry a phone or credit code typed in a message, however it is written', async () => {
    let out = ''
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk
        done()
      },
    })
    const logger = pino({ level: 'debug' }, sink)
    const { knowledge, segmenter } = realKnowledge()
    const bot = createBot({ knowledge, segmenter, store: createMemoryStore({ sessionTtlSeconds: 60 }), logger })
    for (const text of ['我的电话是 138 0013 8000', '手机１３９－００１３－８０００', '代码9144 0300 ma5e xamp 1f']) {
      await bot.engine.handle({ channel: 'api', userId: 'log-user', text })
    }
    expect(out).toContain('"turn"')
    expect(out).not.toMatch(/0013|００１３/)
    expect(out.toUpperCase()).not.toContain('MA5E')
  })
})
