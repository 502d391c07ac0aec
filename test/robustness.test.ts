import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

// A deterministic generator, so a failure can be replayed.
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
}

const PIECES = [
  '统保', '报损', '买家', '欠', '万', '亿', '美元', '人民币', '2020年', '去年9月', '13812345678', '91440300MA5EXAMP1F',
  'BS20261126-0001', '取消', '上一步', '改成', '金额', '是', '不是', '继续', '确认', '宝安', '沙头角', 'L/C', '？', '！',
  '😀', '\u0000', '\u202e', '<xml>', '&amp;', '%s', '${x}', '\\', '"', '9'.repeat(40), '一二三四五六七八九十百千', ' ', '\n',
]

describe('robustness', () => {
  it('answers every odd message with some text and never throws, across a long random conversation', async () => {
    const bot = testBot()
    const next = rng(42)
    for (let u = 0; u < 6; u++) {
      const c = chat(bot, `fuzz-${u}`)
      for (let i = 0; i < 60; i++) {
        const n = 1 + Math.floor(next() * 6)
        const text = Array.from({ length: n }, () => PIECES[Math.floor(next() * PIECES.length)]).join('')
        const reply = await c.say(text)
        expect(reply.trim().length, `reply to ${JSON.stringify(text)}`).toBeGreaterThan(0)
        expect(reply).not.toMatch(/undefined|NaN|\[object Object\]/)
      }
    }
  })
})
