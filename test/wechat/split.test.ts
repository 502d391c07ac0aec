import { describe, expect, it } from 'vitest'
import { splitForWeChat, utf8Length } from '../../src/channels/wechat/split.js'

const bytes = (s: string) => new TextEncoder().encode(s).length
const noSpace = (s: string) => s.replace(/\s+/g, '')

/** Every chunk within the limit, no empty chunk, trimmed, and the chunks give back the text. */
function checkInvariants(text: string, chunks: string[], max: number): void {
  expect(chunks.length).toBeGreaterThan(0)
  for (const c of chunks) {
    expect(bytes(c)).toBeLessThanOrEqual(max)
    expect(c.length).toBeGreaterThan(0)
    expect(c).toBe(c.trim())
    expect(c).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/) // no split surrogate pair
  }
  expect(noSpace(chunks.join(''))).toBe(noSpace(text))
  // Chunks appear in order in the original text.
  let at = 0
  for (const c of chunks) {
    const i = text.indexOf(c, at)
    expect(i).toBeGreaterThanOrEqual(at)
    at = i + c.length
  }
}

function splitsInside(chunks: string[], token: string): boolean {
  const joined = chunks.join('\u0001')
  return !joined.includes(token) && noSpace(chunks.join('')).includes(noSpace(token))
}

const SENTENCES = [
  '出口信用保险是国家为了推动本国出口贸易，保障出口企业的收汇安全而制定的一项由国家财政提供保险准备金的非营利性政策性保险业务。',
  '深圳统保平台为符合条件的中小微企业提供统一投保服务，企业无需单独支付保费！',
  '如买方破产、拖欠或拒收货物，企业可以在规定时间内报损；保险公司将按照约定比例赔付？',
  '统保的保障金额每个买方最高为十五万美元，赔付比例一般为百分之八十，具体以正式保单为准。',
]

function longChinese(target: number, extra: (i: number) => string = () => ''): string {
  let s = ''
  for (let i = 0; bytes(s) < target; i++) s += SENTENCES[i % SENTENCES.length]! + extra(i)
  return s
}

describe('utf8Length', () => {
  it('matches TextEncoder', () => {
    for (const s of ['', 'abc', '中文', '😀', 'é', 'a😀中\u00e9\ud800x']) expect(utf8Length(s)).toBe(bytes(s))
  })
})

describe('splitForWeChat', () => {
  it('returns short text as one trimmed chunk and nothing for blank text', () => {
    expect(splitForWeChat('  你好，世界。 ')).toEqual(['你好，世界。'])
    expect(splitForWeChat('')).toEqual([])
    expect(splitForWeChat(' \n\n ')).toEqual([])
  })

  it('long Chinese text: every chunk ≤ 2047 bytes, cut at sentence ends, round-trips', () => {
    const text = longChinese(9000)
    const chunks = splitForWeChat(text)
    checkInvariants(text, chunks, 2047)
    expect(chunks.length).toBeGreaterThanOrEqual(5)
    for (const c of chunks.slice(0, -1)) expect(c).toMatch(/[。！？；]$/)
    // Chunks are reasonably full (no tiny fragments).
    for (const c of chunks.slice(0, -1)) expect(bytes(c)).toBeGreaterThan(1024)
  })

  it('prefers a paragraph break, then a sentence end, then a comma', () => {
    const para = 'A'.repeat(600) + '。' + 'B'.repeat(300) + '\n\n' + 'C'.repeat(200) + '。' + 'D'.repeat(2000)
    expect(splitForWeChat(para, 1200)[0]).toBe('A'.repeat(600) + '。' + 'B'.repeat(300))
    const sentence = '甲'.repeat(300) + '，' + '乙'.repeat(50) + '。' + '丙'.repeat(20) + '，' + '丁'.repeat(400)
    expect(splitForWeChat(sentence, 1200)[0]).toBe('甲'.repeat(300) + '，' + '乙'.repeat(50) + '。')
    const comma = '甲'.repeat(300) + '，' + '乙'.repeat(50) + '、' + '丙'.repeat(400)
    expect(splitForWeChat(comma, 1200)[0]).toBe('甲'.repeat(300) + '，' + '乙'.repeat(50) + '、')
  })

  it('does not treat the "1. " of a list item as a sentence end', () => {
    const text = '说'.repeat(200) + '，' + '明'.repeat(150) + '\n1. ' + '项'.repeat(400)
    expect(splitForWeChat(text, 1200)[0]).toBe('说'.repeat(200) + '，' + '明'.repeat(150))
    const english = 'x'.repeat(300) + ', ' + 'y'.repeat(100) + ' done. ' + 'z'.repeat(900)
    expect(splitForWeChat(english, 1000)[0]).toBe('x'.repeat(300) + ', ' + 'y'.repeat(100) + ' done.')
  })

  it('keeps closing quotes with the sentence they end', () => {
    const text = '他说：“' + '好'.repeat(300) + '。”' + '然'.repeat(500)
    const chunks = splitForWeChat(text, 1200)
    expect(chunks[0]).toBe('他说：“' + '好'.repeat(300) + '。”')
    checkInvariants(text, chunks, 1200)
  })

  it('never splits URLs or phone numbers placed right at the boundary', () => {
    const url = 'https://www.sinosure.com.cn/ywjs/xmxcp/dqxytbx/index.shtml?from=tongbao&page=12345'
    const phones = ['0755-8888 6666', '+86 138-0013-8000', '400-650-2860', '(0755)83210000', '13800138000']
    // Slide the token across the 2047-byte boundary with 1-byte and 3-byte steps.
    for (const token of [url, ...phones]) {
      for (let pad = 0; pad < 120; pad += 1) {
        const head = longChinese(1950).slice(0, 600) + 'x'.repeat(pad)
        const text = head + '请访问' + token + '，谢谢。' + longChinese(3000)
        const chunks = splitForWeChat(text)
        checkInvariants(text, chunks, 2047)
        expect(splitsInside(chunks, token), `${token} split with pad ${pad}`).toBe(false)
      }
    }
  })

  it('long Chinese text with many URLs and phone numbers: none split, nothing over the limit', () => {
    const extras = (i: number) =>
      i % 3 === 0
        ? `详见https://example.com/policy/${i}?q=统保&id=${i * 7919}说明`
        : i % 3 === 1
          ? `请致电0755-${String(80000000 + i * 1237)}或13${String(900000000 + i * 4321)}咨询`
          : `编号${String(1e15 + i * 97)}`
    const text = longChinese(20000, extras)
    const chunks = splitForWeChat(text)
    checkInvariants(text, chunks, 2047)
    const tokens = text.match(/https?:\/\/[^\s\u4e00-\u9fff]+|[0-9][0-9-]*[0-9]/g)!
    expect(tokens.length).toBeGreaterThan(20)
    for (const t of tokens) expect(splitsInside(chunks, t), t).toBe(false)
  })

  it('never splits a run of digits or a surrogate pair', () => {
    const digits = '9'.repeat(400)
    const text = '金额'.repeat(300) + digits + '元'.repeat(300)
    const chunks = splitForWeChat(text, 1500)
    checkInvariants(text, chunks, 1500)
    expect(splitsInside(chunks, digits)).toBe(false)

    const emoji = '😀'.repeat(1000) // 4000 bytes, nowhere else to cut
    const e = splitForWeChat(emoji, 2047)
    checkInvariants(emoji, e, 2047)
    expect(e.join('')).toBe(emoji)
  })

  it('cuts an unbreakable token longer than maxBytes at a code-point boundary', () => {
    const url = 'https://example.com/' + 'a中'.repeat(10).replace(/中/g, 'b') + 'x'.repeat(5000)
    const chunks = splitForWeChat('见' + url, 2047)
    checkInvariants('见' + url, chunks, 2047)
    expect(chunks.join('')).toBe('见' + url)
  })

  it('splits at whitespace for English text and honours small maxBytes', () => {
    const text = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ')
    const chunks = splitForWeChat(text, 100)
    checkInvariants(text, chunks, 100)
    for (const c of chunks) expect(c).toMatch(/^word\d+( word\d+)*$/)
    expect(() => splitForWeChat('x', 3)).toThrow(RangeError)
  })

  it('handles mixed newlines: sentence cut at a newline, whitespace trimmed at chunk edges', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `第${i + 1}条：统保平台常见问题说明`).join('\n')
    const chunks = splitForWeChat(lines, 500)
    checkInvariants(lines, chunks, 500)
    for (const c of chunks) expect(c).toMatch(/^第\d+条：统保平台常见问题说明(\n第\d+条：统保平台常见问题说明)*$/)
  })
})
