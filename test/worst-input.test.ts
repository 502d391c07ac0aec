import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import type { TurnContext } from '../src/engine/skill.js'
import { newSession, type Session } from '../src/engine/types.js'
import { worstCaseInputs } from '../src/eval/worst-inputs.js'
import { extractFacts } from '../src/flows/claim/extract.js'
import { FIELDS } from '../src/flows/claim/fields.js'
import { standardWording } from '../src/text/colloquial.js'
import { detectLang } from '../src/text/lang.js'
import { normalize } from '../src/text/normalize.js'
import { testBot } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'

// Every pattern is linear, so these complete; how long they take is `npm run bench`'s to report, not a test's.
const MAX = loadConfig({}).MAX_TEXT_LENGTH
const inputs = worstCaseInputs(MAX)
const bot = testBot()

function context(text: string, session: Session = newSession('api:worst', Date.now())): TurnContext {
  return { message: { channel: 'api', userId: 'worst', text }, text: text.trim(), norm: standardWording(normalize(text)), reading: bot.reader.read(text, Date.now()), session, now: Date.now(), lang: detectLang(text) }
}

function expectAnswer(replies: Array<{ text: string }>, input: string): void {
  const joined = replies.map((r) => r.text).join('\n')
  expect(joined.trim().length, `reply to ${JSON.stringify(input.slice(0, 24))}…`).toBeGreaterThan(0)
  expect(joined).not.toMatch(/undefined|NaN|\[object Object\]/)
}

describe(`the worst inputs of ${MAX} characters (MAX_TEXT_LENGTH)`, () => {
  it('are all exactly at the limit, so nothing longer needs to be handled', () => {
    expect(inputs.length).toBeGreaterThan(400)
    for (const t of inputs) expect(t.length).toBe(MAX)
  })

  it('every skill decides on each of them, and answers the ones it takes', async () => {
    const qa = bot.skills.at(-1)!
    const answered = new Set<string>()
    for (const skill of bot.skills) {
      for (const t of inputs) {
        const ctx = context(t)
        const hit = skill.detect(ctx)
        expect(typeof hit).toBe('boolean')
        if (!hit && skill !== qa) continue
        answered.add(skill.key)
        expectAnswer(await skill.handle(ctx), t)
      }
    }
    // The skills that extract figures, dates, places and names ran their answering path, not only detect().
    for (const key of ['claim', 'payout', 'eligibility', 'manager', 'coverage', qa.key]) expect([...answered]).toContain(key)
  })

  it('every loss-report field parser and the fact extractor give a result for each', () => {
    const deps = { knowledge: bot.knowledge, places: bot.places, now: Date.now() }
    for (const t of inputs) {
      for (const field of FIELDS) {
        const parsed = field.parse(t, deps, {})
        expect(typeof parsed.ok, field.key).toBe('boolean')
      }
      expect(typeof extractFacts(t, deps)).toBe('object')
    }
  })

  it('a whole turn answers each of them from a fresh conversation', async () => {
    for (const [i, t] of inputs.entries()) expectAnswer(await bot.engine.handle({ channel: 'api', userId: `worst-fresh-${i}`, text: t }), t)
  })

  it('the loss-report form answers each of them at every step and keeps its draft', async () => {
    const userId = 'worst-form'
    const owner = `api:${userId}`
    const say = (text: string) => bot.engine.handle({ channel: 'api', userId, text })
    // Every other input at each step: the form's own parsing is covered for all of them above.
    const sample = inputs.filter((_, i) => i % 2 === 0)
    for (let step = 1; step < FULL_REPORT.length; step++) {
      await bot.store.sessions.delete(owner)
      for (const [answer] of FULL_REPORT.slice(0, step)) await say(answer)
      const atStep = await bot.store.sessions.get(owner)
      expect(atStep?.flow?.name, `step ${step}`).toBe('claim')
      for (const t of sample) {
        await bot.store.sessions.save(structuredClone(atStep!))
        expectAnswer(await say(t), t)
        expect((await bot.store.sessions.get(owner))?.flow?.name, `draft kept at step ${step}`).toBe('claim')
      }
    }
  }, 120_000)
})
