import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBot } from '../src/bot.js'
import { createWeChatApi } from '../src/channels/wechat/api.js'
import { createApp } from '../src/http/app.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { chat, realKnowledge, silentLogger, testBot } from './helpers/bot.js'
import { startOpenAiStub, stubModel, type OpenAiStub } from './helpers/openai-stub.js'
import { eventually } from './helpers/webhook-stub.js'
import { APP_ID, TOKEN, postPlain, tag, textMessage } from './helpers/wechat-client.js'
import { startWeChatApiStub, type WeChatApiStub } from './helpers/wechat-stub.js'

let openai: OpenAiStub
let wechat: WeChatApiStub
beforeAll(async () => {
  openai = await startOpenAiStub()
  wechat = await startWeChatApiStub()
})
afterAll(async () => {
  await openai.close()
  await wechat.close()
})

let seq = 0
const msgId = () => `2500000000000${String(++seq).padStart(6, '0')}`

/** The real /wechat route (as it is) over a bot in model mode, with the customer-service API on the stub. */
function setup({ modelDeadlineMs, budgetMs }: { modelDeadlineMs: number; budgetMs: number }) {
  const { knowledge, segmenter } = realKnowledge()
  const store = createMemoryStore({ sessionTtlSeconds: 3600 })
  const bot = createBot({ knowledge, segmenter, store, logger: silentLogger, model: stubModel(openai, { timeoutMs: modelDeadlineMs }) })
  const api = createWeChatApi({ appId: APP_ID, appSecret: 'secret', apiBase: wechat.base, kv: store.kv, runExclusive: (k, fn) => store.runExclusive(k, fn), logger: silentLogger })
  return createApp({ engine: bot.engine, store, logger: silentLogger, maxTextLength: 1000, wechat: { token: TOKEN, api, budgetMs }, model: bot.model })
}

const ANSWER = '保险期限是1.5年，即2021年1月至2022年6月。'

describe('model mode behind the WeChat time budget', () => {
  // The 9-second model of the issue, scaled down: the model takes 900 ms, the budget is 200 ms.
  it('a slow model: the passive reply comes within the budget (success), and the model’s answer follows by customer-service message', async () => {
    const app = setup({ modelDeadlineMs: 3000, budgetMs: 200 })
    openai.reply({ content: ANSWER, delayMs: 900 })
    const from = `o-slow-${++seq}`
    const res = await postPlain(app, textMessage(from, '保险期限多久', msgId()))
    expect(await res.text()).toBe('success')
    // WeChat got its reply while the model was still thinking.
    expect(openai.pending).toBe(1)
    await eventually(() => wechat.sent.some((s) => s.touser === from))
    const sent = wechat.sent.find((s) => s.touser === from)!.content
    expect(sent).toBe(`${ANSWER}\n来源：《2020年出口额800万美元以下企业统保政策简介》二（三）4. 保险期限`)
  })

  it('with the turn deadline under the budget (the defaults: 3.5 s and 4.5 s), a model past its deadline gives way to the embedded answer in the passive reply itself', async () => {
    const app = setup({ modelDeadlineMs: 300, budgetMs: 1500 })
    openai.reply({ content: ANSWER, delayMs: 2000 })
    const from = `o-late-${++seq}`
    const res = await postPlain(app, textMessage(from, '保险期限多久', msgId()))
    expect(tag(await res.text(), 'Content')).toBe(await chat(testBot()).say('保险期限多久'))
    expect(wechat.sent.some((s) => s.touser === from)).toBe(false)
  })
})
