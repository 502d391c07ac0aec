import { createHash } from 'node:crypto'
import { loadConfig } from '../config.js'
import { buildNodeBot } from '../deps.js'
import type { TurnContext } from '../engine/skill.js'
import { newSession } from '../engine/types.js'
import type { Reader } from '../understand/reading.js'
import { worstCaseInputs } from '../eval/worst-inputs.js'
import { extractFacts } from '../flows/claim/extract.js'
import { FIELDS } from '../flows/claim/fields.js'
import { createApp } from '../http/app.js'
import { createMemoryStore } from '../store/memory-store.js'
import { standardWording } from '../text/colloquial.js'
import { detectLang } from '../text/lang.js'
import { normalize } from '../text/normalize.js'

interface Slowest {
  ms: number
  text: string
}

const TOKEN = 'bench-worst-token'

/**
 * The worst inputs up to MAX_TEXT_LENGTH (src/eval/worst-inputs.ts): the slowest input for every skill
 * (detect, then its answer when it takes the message), every loss-report field and the fact extractor, and a whole
 * request on every channel — /api/chat, /wechat and terminal chat — in process, with a memory store.
 */
export async function worstInputTiming(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' })
  const max = config.MAX_TEXT_LENGTH
  const bot = await buildNodeBot(config, { store: createMemoryStore({ sessionTtlSeconds: 3600 }) })
  const inputs = worstCaseInputs(max)
  // Texts are memoised (normalisation, amounts, places): each measurement gets its own last character, so none
  // is answered from a cache another measurement filled.
  let variant = 0
  const fresh = (t: string) => `${t.slice(0, -1)}${String.fromCharCode(0x4e00 + (variant++ % 20_000))}`
  // The better of two runs (each on its own variant of the text), so a garbage-collection pause is not reported.
  const time = async (fn: () => unknown): Promise<number> => {
    let best = Infinity
    for (let run = 0; run < 2; run++) {
      const s = performance.now()
      await fn()
      best = Math.min(best, performance.now() - s)
    }
    return best
  }
  const worse = (a: Slowest | undefined, ms: number, text: string): Slowest => (!a || ms > a.ms ? { ms, text } : a)

  const bySkill = new Map<string, Slowest>()
  const qa = bot.skills.at(-1)!
  for (const skill of bot.skills) {
    for (const input of inputs) {
      const ms = await time(async () => {
        const ctx = context(bot.reader, fresh(input))
        if (skill.detect(ctx) || skill === qa) await skill.handle(ctx)
      })
      bySkill.set(skill.key, worse(bySkill.get(skill.key), ms, input))
    }
  }

  const byField = new Map<string, Slowest>()
  const deps = { knowledge: bot.knowledge, places: bot.places, now: Date.now() }
  for (const input of inputs) {
    for (const field of FIELDS) {
      byField.set(`field ${field.key}`, worse(byField.get(`field ${field.key}`), await time(() => field.parse(fresh(input), deps, {})), input))
    }
    byField.set('extractFacts', worse(byField.get('extractFacts'), await time(() => extractFacts(fresh(input), deps)), input))
  }

  const app = createApp({ engine: bot.engine, store: bot.store, logger: bot.logger, maxTextLength: max, wechat: { token: TOKEN } })
  let user = 0
  const channels: Array<{ name: string; send: (text: string) => Promise<unknown> }> = [
    {
      name: '/api/chat',
      send: (text) => Promise.resolve(app.request('/api/chat', { method: 'POST', body: JSON.stringify({ userId: `w${++user}`, text }), headers: { 'content-type': 'application/json' } })).then((r) => r.text()),
    },
    { name: '/wechat', send: (text) => Promise.resolve(app.request(...wechatRequest(`o-w${++user}`, text))).then((r) => r.text()) },
    { name: 'terminal chat', send: (text) => bot.engine.handle({ channel: 'cli', userId: `w${++user}`, text }) },
  ]
  const byChannel = new Map<string, Slowest>()
  for (const channel of channels) {
    for (const input of inputs) {
      byChannel.set(channel.name, worse(byChannel.get(channel.name), await time(() => channel.send(fresh(input))), input))
    }
  }
  const overMs = await time(() => channels[1]!.send(`${fresh(inputs[0]!)}a`))

  const show = (label: string, w: Slowest) => `  ${label.padEnd(24)} ${w.ms.toFixed(2).padStart(7)} ms  "${w.text.slice(0, 18).replace(/\n/g, '\\n')}…"`
  const sorted = (m: Map<string, Slowest>) => [...m].sort((a, b) => b[1].ms - a[1].ms)
  console.log(`\nworst inputs: ${inputs.length} awkward messages of ${max} characters (MAX_TEXT_LENGTH), slowest of each`)
  console.log('per skill (detect, and the answer when it takes the message):')
  for (const [k, w] of sorted(bySkill)) console.log(show(k, w))
  console.log('per loss-report field and the fact extractor (slowest five):')
  for (const [k, w] of sorted(byField).slice(0, 5)) console.log(show(k, w))
  console.log('per channel (the whole request, in process):')
  for (const [k, w] of sorted(byChannel)) console.log(show(k, w))
  console.log(`  ${'/wechat, 1 char over'.padEnd(24)} ${overMs.toFixed(2).padStart(7)} ms  (polite reply, not processed)`)
  const [name, slowest] = sorted(new Map([...bySkill, ...byField, ...byChannel]))[0]!
  console.log(`slowest of all: ${name}, ${slowest.ms.toFixed(2)} ms`)
  await bot.store.close()
}

function context(reader: Reader, text: string): TurnContext {
  return { message: { channel: 'cli', userId: 'bench', text }, text: text.trim(), norm: standardWording(normalize(text)), reading: reader.read(text, Date.now()), session: newSession('cli:bench', Date.now()), now: Date.now(), lang: detectLang(text) }
}

/** A signed plain-mode text message, as WeChat would post it. */
function wechatRequest(openid: string, text: string): [string, RequestInit] {
  const ts = String(Math.floor(Date.now() / 1000))
  const nonce = Math.random().toString(36).slice(2)
  const signature = createHash('sha1').update([TOKEN, ts, nonce].sort().join('')).digest('hex')
  const body = `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${Date.now()}${Math.floor(Math.random() * 1e6)}</MsgId></xml>`
  return [`/wechat?signature=${signature}&timestamp=${ts}&nonce=${nonce}&openid=${openid}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } }]
}
