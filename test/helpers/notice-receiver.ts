import { createServer, type Server } from 'node:http'

export interface ReceivedNotice {
  /** The Idempotency-Key header: the same on every delivery of one notice. */
  key: string | undefined
  body: { msgtype?: string; text?: { content: string; mentioned_mobile_list?: string[] } }
}

export interface NoticeReceiver {
  url: string
  received: ReceivedNotice[]
  /** Distinct idempotency keys received, with how many deliveries each. */
  byKey(): Map<string, number>
  close(): Promise<void>
}

/** A loopback webhook that accepts every notice (errcode 0) and records its idempotency key and body. */
export async function startNoticeReceiver(): Promise<NoticeReceiver> {
  const received: ReceivedNotice[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const key = req.headers['idempotency-key']
      received.push({ key: Array.isArray(key) ? key[0] : key, body: JSON.parse(body) as ReceivedNotice['body'] })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    url: `http://127.0.0.1:${port}/robot`,
    received,
    byKey() {
      const m = new Map<string, number>()
      for (const r of received) m.set(r.key ?? '(none)', (m.get(r.key ?? '(none)') ?? 0) + 1)
      return m
    },
    close: () => new Promise((r) => server.close(() => r())),
  }
}
