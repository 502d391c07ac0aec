import { describe, expect, it } from 'vitest'
import { checkCreditCode, creditCodeCheckChar, findCreditCode, normalizeCreditCode } from '../../src/policy/credit-code.js'

// Value of each char in GB 32100-2015: 0-9 → 0-9, then A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21 N22 P23 Q24 R25 T26 U27 W28 X29 Y30.
// Weights: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28; check value = (31 - sum mod 31) mod 31.

// 91350100M000100Y43 — the example most validators document (region 350100, Fuzhou).
//   9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M(21)·20 + 0·29 + 0·25 + 0·13 + 1·8 + 0·24 + 0·10 + Y(30)·30 + 4·28
//   = 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640; 1640 mod 31 = 28 (31·52 = 1612); 31 − 28 = 3 → '3'.
const FUZHOU_EXAMPLE = '91350100M000100Y43'
// 914403001922038216 — 华为技术有限公司 (Shenzhen, 440300), public registry data.
//   9·1 + 1·3 + 4·9 + 4·27 + 0·19 + 3·26 + 0·16 + 0·17 + 1·20 + 9·29 + 2·25 + 2·13 + 0·8 + 3·24 + 8·10 + 2·30 + 1·28
//   = 9 + 3 + 36 + 108 + 78 + 20 + 261 + 50 + 26 + 72 + 80 + 60 + 28 = 831; 831 mod 31 = 25 (31·26 = 806); 31 − 25 = 6 → '6'.
const HUAWEI = '914403001922038216'
// Other codes from public company listings (Shenzhen 440300, Beijing 1101xx); letter check chars (G, T, B, D, Q) must work too.
const PUBLISHED = ['9144030071526726XG', '91440300708461136T', '91110000802100433B', '91110105771583283D', '91110108551385082Q']

describe('checkCreditCode', () => {
  it.each([FUZHOU_EXAMPLE, HUAWEI, ...PUBLISHED])('accepts %s', (code) => {
    expect(checkCreditCode(code)).toEqual({ ok: true, code })
  })

  it('normalizes before checking: spaces around, full-width, lower-case', () => {
    expect(checkCreditCode('  91350100m000100y43 \n')).toEqual({ ok: true, code: FUZHOU_EXAMPLE })
    expect(checkCreditCode('９１３５０１００Ｍ０００１００Ｙ４３')).toEqual({ ok: true, code: FUZHOU_EXAMPLE })
    expect(checkCreditCode('９１３５０１００ｍ０００１００ｙ４３')).toEqual({ ok: true, code: FUZHOU_EXAMPLE })
  })

  it.each([
    ['', 'too short: empty'],
    ['91350100M000100Y4', '17 chars'],
    ['91350100M000100Y433', '19 chars'],
    ['91350100 M000100Y43', 'a space inside makes 19'],
    ['9135010', 'far too short'],
  ])('rejects %j by length (%s)', (code) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason: 'length' })
  })

  it.each([
    ['91350100M000100I43', 'I is not used'],
    ['91350100M000100O43', 'O is not used'],
    ['91350100M000100Z43', 'Z is not used'],
    ['91350100M000100S43', 'S is not used'],
    ['91350100M000100V43', 'V is not used'],
    ['91350100M000100Y4-', 'punctuation'],
    ['91350100M000100Y4中', 'Chinese char'],
    ['91A50100M000100Y43', 'region code (positions 3–8) must be digits'],
  ])('rejects %s by charset (%s)', (code) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason: 'charset' })
  })

  it.each([
    ['91350100M000100Y42', 'last char off by one'],
    ['91350100M000100Y4A', 'letter instead of digit check'],
    ['91350100M000100Y34', 'last two swapped'],
    ['91350100M000010Y43', 'two body chars swapped'],
    ['914403001922038217', 'Huawei with a wrong check char'],
    ['91440300192203821X', 'Huawei with X as check char'],
    ['110101199003074578', 'an ID-card-like number'],
  ])('rejects %s by checksum (%s)', (code) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason: 'checksum' })
  })

  it('catches every single-char change of a valid code', () => {
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY'
    for (let i = 0; i < 18; i++) {
      for (const c of chars) {
        if (c === HUAWEI[i]) continue
        if (i >= 2 && i < 8 && !/\d/.test(c)) continue
        const changed = HUAWEI.slice(0, i) + c + HUAWEI.slice(i + 1)
        expect(checkCreditCode(changed)).toEqual({ ok: false, reason: 'checksum' })
      }
    }
  })
})

describe('creditCodeCheckChar', () => {
  it('gives the 18th char of known codes', () => {
    expect(creditCodeCheckChar(FUZHOU_EXAMPLE.slice(0, 17))).toBe('3')
    expect(creditCodeCheckChar(HUAWEI.slice(0, 17))).toBe('6')
    for (const code of PUBLISHED) expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17])
  })

  it('maps a remainder of 0 to check char 0 (31 wraps to 0)', () => {
    // Found by the function and checked: sum ≡ 0 (mod 31), so 31 − 0 = 31 → 0.
    expect(creditCodeCheckChar('91440300MA5F0X00P')).toBe('0')
    expect(checkCreditCode('91440300MA5F0X00P0')).toEqual({ ok: true, code: '91440300MA5F0X00P0' })
  })

  it('makes any 17 valid chars into a valid code', () => {
    for (const first17 of ['91440300MA5F0X0A2', '92440300MA5ABCDE1', '12100000400000624', '51440300YYYYYYYYY', '00000000000000000']) {
      const code = first17 + creditCodeCheckChar(first17)!
      expect(checkCreditCode(code)).toEqual({ ok: true, code })
    }
    expect(creditCodeCheckChar('00000000000000000')).toBe('0')
  })

  it('normalizes its input like checkCreditCode', () => {
    expect(creditCodeCheckChar('91350100m000100y4')).toBe('3')
  })

  it.each(['', '9135010', '91350100M000100Y43', '91350100M000100I4'])('is undefined for %j', (bad) => {
    expect(creditCodeCheckChar(bad)).toBeUndefined()
  })
})

describe('findCreditCode', () => {
  it.each([
    ['我们的统一社会信用代码是91350100M000100Y43，谢谢', FUZHOU_EXAMPLE],
    ['信用代码：914403001922038216。', HUAWEI],
    ['code 91350100m000100y43 please', FUZHOU_EXAMPLE],
    ['代码：９１３５０１００Ｍ０００１００Ｙ４３', FUZHOU_EXAMPLE],
    ['914403001922038216', HUAWEI],
    ['代码是 9135 0100 M000 100Y43 谢谢', FUZHOU_EXAMPLE],
    ['9144-0300-1922-0382-16', HUAWEI],
  ])('finds the code in %s', (text, code) => {
    expect(findCreditCode(text)).toBe(code)
  })

  it('prefers a valid code when several candidates appear', () => {
    expect(findCreditCode('旧的91350100M000100Y42写错了，新的914403001922038216')).toBe(HUAWEI)
  })

  it('still returns an invalid candidate so the bot can explain the problem', () => {
    const typo = '91350100M000100Y42'
    expect(findCreditCode(`代码${typo}`)).toBe(typo)
    expect(checkCreditCode(findCreditCode(`代码${typo}`)!)).toEqual({ ok: false, reason: 'checksum' })
  })

  it.each([
    '我们公司在宝安区',
    '出口额500万美元',
    '电话13652439164',
    '91350100M000100Y4',
    '91350100M000100Y433',
    'INTERNATIONALTRADE',
    '9135 0100 M000 100Y42',
    '',
  ])('finds nothing in %j', (text) => {
    expect(findCreditCode(text)).toBeUndefined()
  })

  it('normalizes the text it searches', () => {
    expect(normalizeCreditCode(' ９１ab ')).toBe('91AB')
  })
})
