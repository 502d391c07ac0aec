import { createServer, type Server } from 'node:http'

export interface WeChatApiStub {
  base: string
  tokenRequests: number
  /** Customer-service messages received: [access_token, body]. */
  sent: Array<{ token: string; touser: string; content: string }>
  menus: unknown[]
  /** errcodes to answer the next send calls with, in order (0 or absent = success). */
  sendErrors: number[]
  close(): Promise<void>
}

/** A loopback stand-in for api.weixin.qq.com: token, custom/send and menu/create. */
export async function startWeChatApiStub(): Promise<WeChatApiStub> {
  let issued = 0
  const stub: WeChatApiStub = {
    base: '',
    tokenRequests: 0,
    sent: [],
    menus: [],
    sendErrors: [],
    close: () => new Promise((r) => server.close(() => r())),
  }
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const json = (o: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o))
      if (url.pathname === '/cgi-bin/token') {
        stub.tokenRequests++
        return json({ access_token: `TOKEN-${++issued}`, expires_in: 7200 })
      }
      if (url.pathname === '/cgi-bin/message/custom/send') {
        const err = stub.sendErrors.shift() ?? 0
        if (err) return json({ errcode: err, errmsg: 'stub error' })
        const m = JSON.parse(body) as { touser: string; text: { content: string } }
        stub.sent.push({ token: url.searchParams.get('access_token') ?? '', touser: m.touser, content: m.text.content })
        return json({ errcode: 0, errmsg: 'ok' })
      }
      if (url.pathname === '/cgi-bin/menu/create') {
        stub.menus.push(JSON.parse(body))
        return json({ errcode: 0, errmsg: 'ok' })
      }
      res.writeHead(404).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  stub.base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  return stub
}
