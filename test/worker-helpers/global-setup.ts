import type { TestProject } from 'vitest/node'
import { lastUser, startOpenAiStub } from '../helpers/openai-stub.js'
import { startWeChatApiStub } from '../helpers/wechat-stub.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of a loopback WeChat API stand-in (token, custom/send), started in Node for the workerd tests. */
    wechatApiBase: string
    /** GET ?touser= → the customer-service messages the stub received for that user. */
    wechatSentUrl: string
    /** A loopback webhook for report notices: the first request for each Idempotency-Key gets 500, the next ones 200. */
    webhookUrl: string
    /** GET ?key= → the requests the webhook received with that Idempotency-Key: status answered and body. */
    webhookReceivedUrl: string
    /** An OpenAI-compatible stub (…/v1): asked “保险期限多久” it answers from the brief; anything else “好的。”. */
    openaiBaseURL: string
    /** GET → the Authorization header and last user message of every request the OpenAI stub received. */
    openaiRequestsUrl: string
  }
}

/**
 * workerd cannot listen on a port, so the stubs the workerd tests talk to run here, in Node, on loopback: the
 * WeChat API (token, custom/send) and a notice webhook. The tests read what they received over HTTP.
 */
export default async function setup(project: TestProject) {
  const [stub, openai] = await Promise.all([startWeChatApiStub(), startOpenAiStub()])
  openai.reply((req) => ({ content: lastUser(req).includes('保险期限多久') ? '保险期限是1.5年，即2021年1月至2022年6月。' : '好的。' }))
  const { createServer } = await import('node:http')
  const reader = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const json = (o: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o))
    if (url.pathname === '/openai') return json(openai.requests.map((r) => ({ authorization: r.authorization, user: lastUser(r), model: r.model })))
    const touser = url.searchParams.get('touser')
    json({ sent: stub.sent.filter((s) => s.touser === touser), tokenRequests: stub.tokenRequests })
  })
  const notices: Array<{ key: string; status: number; body: unknown }> = []
  const webhook = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(notices.filter((n) => n.key === url.searchParams.get('key'))))
      return
    }
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '')
      const status = notices.some((n) => n.key === key) ? 200 : 500
      notices.push({ key, status, body: JSON.parse(body) })
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"errcode":0,"errmsg":"ok"}' : 'down')
    })
  })
  const listen = async (server: ReturnType<typeof createServer>) => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const address = server.address()
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  }
  project.provide('wechatApiBase', stub.base)
  const read = await listen(reader)
  project.provide('wechatSentUrl', `${read}/sent`)
  project.provide('openaiRequestsUrl', `${read}/openai`)
  project.provide('openaiBaseURL', openai.baseURL)
  const hook = await listen(webhook)
  project.provide('webhookUrl', `${hook}/robot`)
  project.provide('webhookReceivedUrl', `${hook}/received`)
  return async () => {
    await Promise.all([stub.close(), openai.close()])
    await Promise.all([reader, webhook].map((s) => new Promise((r) => s.close(r))))
  }
}
