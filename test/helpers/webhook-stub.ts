import { createServer, type Server } from 'node:http'

export interface WebhookStub {
  url: string
  /** Bodies of every request, successful or not, in order. */
  received: unknown[]
  close(): Promise<void>
}

/** A local stand-in for a WeCom group robot: fails the first `failFirst` requests with 500, then answers errcode 0. */
export async function startWebhookStub(failFirst = 1): Promise<WebhookStub> {
  const received: unknown[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      received.push(JSON.parse(body))
      if (received.length <= failFirst) {
        res.writeHead(500).end('down')
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return { url: `http://127.0.0.1:${port}/robot`, received, close: () => new Promise((r) => server.close(() => r())) }
}

/** Poll until check() is true or the deadline passes. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}
