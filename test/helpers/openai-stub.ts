import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { ChatOpenAI } from '@langchain/openai'
import { chatModelFields } from '../../src/llm/client.js'
import { loadPromptsDir } from '../../src/llm/load-prompts-node.js'
import { createModelMode, type ModelFactory, type ModelSetup, type ModelSettings } from '../../src/llm/mode.js'

/** What the stub answers to one /v1/chat/completions request. */
export interface StubReply {
  content?: string | null
  /** Tool calls; `arguments` is sent as given, so a test can send malformed JSON. */
  toolCalls?: Array<{ name: string; arguments: string }>
  /** An HTTP error instead of an answer. */
  status?: number
  /** Wait this long before answering (the client may give up first). */
  delayMs?: number
}

/** One request the stub received. */
export interface StubRequest {
  model: string
  stream: boolean
  messages: Array<{ role: string; content: string | null }>
  tools?: Array<{ function: { name: string } }>
  response_format?: { type: string }
  authorization?: string
}

export interface OpenAiStub {
  /** Base URL to give the client, ending in /v1. */
  baseURL: string
  requests: StubRequest[]
  /** Requests still waiting for their (delayed) answer. */
  pending: number
  /** How the next requests are answered: a fixed reply, a queue, or a function of the request. */
  reply(r: StubReply | StubReply[] | ((req: StubRequest) => StubReply)): void
  close(): Promise<void>
}

/** The last user message of a request: what the bot asked the model this time. */
export function lastUser(req: StubRequest): string {
  return [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? ''
}

/**
 * A loopback OpenAI-compatible server: /v1/chat/completions, plain JSON or streamed (SSE) like the real API,
 * with content, tool calls, errors and delays as the test scripts them. Never reaches the internet.
 */
export async function startOpenAiStub(): Promise<OpenAiStub> {
  let script: (req: StubRequest) => StubReply = () => ({ content: '好的。' })
  let seq = 0
  const stub: OpenAiStub = {
    baseURL: '',
    requests: [],
    pending: 0,
    reply(r) {
      if (typeof r === 'function') script = r
      else if (Array.isArray(r)) {
        const queue = [...r]
        const last = queue[queue.length - 1] ?? { content: '' }
        script = () => queue.shift() ?? last
      } else script = () => r
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return res.writeHead(404).end()
    const parsed = JSON.parse(body) as Omit<StubRequest, 'authorization'>
    const request: StubRequest = { ...parsed, stream: !!parsed.stream, authorization: req.headers.authorization }
    stub.requests.push(request)
    const r = script(request)
    if (r.delayMs) {
      stub.pending++
      await new Promise((done) => setTimeout(done, r.delayMs))
      stub.pending--
    }
    if (res.destroyed) return
    if (r.status && r.status >= 400) {
      return res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'stub error', type: 'server_error' } }))
    }
    const id = `chatcmpl-${++seq}`
    const toolCalls = r.toolCalls?.map((t, i) => ({ index: i, id: `call_${seq}_${i}`, type: 'function', function: { name: t.name, arguments: t.arguments } }))
    const usage = { prompt_tokens: 100 + body.length / 10, completion_tokens: (r.content ?? '').length, total_tokens: 0 }
    usage.prompt_tokens = Math.round(usage.prompt_tokens)
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens
    const finish = toolCalls?.length ? 'tool_calls' : 'stop'
    if (!request.stream) {
      const message = { role: 'assistant', content: r.content ?? null, ...(toolCalls ? { tool_calls: toolCalls } : {}) }
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id, object: 'chat.completion', created: 0, model: request.model, choices: [{ index: 0, message, finish_reason: finish }], usage }))
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    const chunk = (delta: object, finish_reason: string | null = null, extra: object = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: request.model, choices: [{ index: 0, delta, finish_reason }], ...extra })}\n\n`)
    chunk({ role: 'assistant', content: '' })
    // A few characters per chunk, like a real stream.
    for (const piece of (r.content ?? '').match(/[\s\S]{1,8}/g) ?? []) chunk({ content: piece })
    for (const t of toolCalls ?? []) chunk({ tool_calls: [t] })
    chunk({}, finish)
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: request.model, choices: [], usage })}\n\n`)
    res.end('data: [DONE]\n\n')
  }

  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => void handle(req, res, body).catch((err) => { console.error("stub error", err); res.destroy() }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  stub.baseURL = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1`
  return stub
}

/** The real prompts/, loaded once per test file. */
export const prompts = await loadPromptsDir('prompts')

/** Model mode pointed at the stub, with the real prompts/ and the given settings. */
export function stubModel(stub: OpenAiStub, settings: Partial<ModelSettings> = {}): ModelFactory {
  const timeoutMs = settings.timeoutMs ?? 3500
  return withSetup({
    // The product's client settings (one retry, no streaming), pointed at the stub.
    chat: new ChatOpenAI(chatModelFields({ apiKey: 'sk-test', baseURL: stub.baseURL, model: 'stub-model', timeoutMs })),
    prompts,
    settings: { modelName: 'stub-model', timeoutMs, ...settings },
  })
}

/** Model mode over any chat model (FakeListChatModel, a streaming client…). */
export function withSetup(setup: ModelSetup): ModelFactory {
  return (deps) => createModelMode(setup, deps)
}
