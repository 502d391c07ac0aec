import { describe, expect, it } from 'vitest'
import { createApp } from '../src/http/app.js'
import { silentLogger, testBot } from './helpers/bot.js'

const bot = testBot()
const app = createApp({ engine: bot.engine, store: bot.store, logger: silentLogger, maxTextLength: 200, maxBodyBytes: 4096 })

function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return app.request('/api/chat', { method: 'POST', body, headers })
}

describe('POST /api/chat', () => {
  it('answers {userId, text} with {replies:[{type:"text", text}]}', async () => {
    const res = await post(JSON.stringify({ userId: 'h1', text: '赔付比例是多少' }))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { replies: Array<{ type: string; text: string }> }
    expect(body.replies[0]?.type).toBe('text')
    expect(body.replies[0]?.text).toContain('80%')
  })

  it('rejects a body that is not JSON with 400 and a clear error', async () => {
    const res = await post('userId=1&text=hi')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_json' } })
  })

  it('refuses bodies that are not declared application/json with 415 (no cross-site simple requests)', async () => {
    const json = JSON.stringify({ userId: 'ct', text: '赔付比例是多少' })
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain; charset=utf-8', 'application/jsonp']) {
      const res = await post(json, { 'content-type': type })
      expect(res.status, type).toBe(415)
      expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } })
    }
    const none = await app.request('/api/chat', { method: 'POST', body: new TextEncoder().encode(json) })
    expect(none.status).toBe(415)
    const withCharset = await post(json, { 'content-type': 'Application/JSON; charset=utf-8' })
    expect(withCharset.status).toBe(200)
  })

  it('rejects a missing userId or a non-string text with 400 naming the field', async () => {
    const res = await post(JSON.stringify({ text: '你好' }))
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain('userId')
    const res2 = await post(JSON.stringify({ userId: 'a', text: 42 }))
    expect(res2.status).toBe(400)
    expect(JSON.stringify(await res2.json())).toContain('text')
  })

  it('rejects text over the length cap with 400', async () => {
    const res = await post(JSON.stringify({ userId: 'a', text: '统'.repeat(201) }))
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain('200')
  })

  it('rejects a body over the size cap with 413 and keeps serving', async () => {
    const res = await post(JSON.stringify({ userId: 'a', text: 'x'.repeat(10_000) }))
    expect(res.status).toBe(413)
    const ok = await post(JSON.stringify({ userId: 'a', text: '你好' }))
    expect(ok.status).toBe(200)
  })

  it('answers an empty text politely instead of failing', async () => {
    const res = await post(JSON.stringify({ userId: 'a', text: '   ' }))
    expect(res.status).toBe(200)
    expect(JSON.stringify(await res.json())).toContain('请输入')
  })

  it('reports health and 404s unknown paths', async () => {
    expect((await app.request('/healthz')).status).toBe(200)
    expect((await app.request('/nope')).status).toBe(404)
  })
})
