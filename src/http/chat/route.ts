import { Hono } from 'hono'
import type { Engine } from '../../engine/engine.js'
import { HttpError } from '../errors.js'
import { chatRequestSchema, type ChatResponse } from './schema.js'

export interface ChatRouteOptions {
  engine: Engine
  maxTextLength: number
}

// application/json, with or without parameters (charset); any other type is refused.
const JSON_TYPE = /^application\/json\s*(?:;|$)/i

/** POST /api/chat — the JSON chat contract: {userId, text} → {replies}. */
export function chatRoute({ engine, maxTextLength }: ChatRouteOptions): Hono {
  const schema = chatRequestSchema(maxTextLength)
  return new Hono().post('/', async function postChat(c) {
    // text/plain and form bodies are "simple" requests any web page can send cross-site without a preflight.
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new HttpError(415, 'unsupported_media_type', '请求头 Content-Type 必须是 application/json')
    }
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      throw new HttpError(400, 'invalid_json', '请求体必须是 JSON，例如 {"userId":"u1","text":"你好"}')
    }
    const parsed = schema.safeParse(body)
    if (!parsed.success) {
      throw new HttpError(400, 'invalid_body', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '))
    }
    const { userId, text } = parsed.data
    if (!text.trim()) return c.json<ChatResponse>({ replies: [{ type: 'text', text: '请输入您的问题，或回复“菜单”查看我能做什么。' }] })
    const replies = await engine.handle({ channel: 'api', userId, text })
    return c.json<ChatResponse>({ replies })
  })
}
