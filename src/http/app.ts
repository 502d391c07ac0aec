import { Hono } from 'hono'
import type { Logger } from 'pino'
import type { Engine } from '../engine/engine.js'
import type { Store } from '../store/types.js'
import type { WeChatRouteOptions } from '../channels/wechat/route.js'
import { wechatRoute } from '../channels/wechat/route.js'
import { capBody } from './body-limit.js'
import { chatRoute } from './chat/route.js'
import { HttpError } from './errors.js'

export interface AppDeps {
  engine: Engine
  store: Store
  logger: Logger
  maxTextLength: number
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number
  /** Mounts /wechat when given (WECHAT_TOKEN set). */
  wechat?: Omit<WeChatRouteOptions, 'engine' | 'store' | 'logger' | 'maxTextLength'>
}

/** Build the HTTP app over Fetch Request/Response only, so Node and Workers share it. */
export function createApp({ engine, store, logger, maxTextLength, maxBodyBytes = 16 * 1024, wechat }: AppDeps): Hono {
  const app = new Hono()

  app.use('*', capBody({ maxBytes: maxBodyBytes }))

  app.get('/healthz', async function healthz(c) {
    const storeHealth = await store.health()
    return c.json({ status: storeHealth === 'ok' ? 'ok' : 'degraded', store: storeHealth }, 200)
  })

  app.route('/api/chat', chatRoute({ engine, maxTextLength }))
  // The same text limit on every channel: /api/chat answers 400, WeChat a polite reply; neither processes it.
  if (wechat) app.route('/wechat', wechatRoute({ ...wechat, engine, store, logger, maxTextLength }))

  app.notFound((c) => c.json({ error: { code: 'not_found', message: '没有这个地址' } }, 404))

  app.onError(function handleError(err, c) {
    if (err instanceof HttpError) return c.json({ error: { code: err.code, message: err.message } }, err.status)
    logger.error({ err }, 'unhandled error')
    return c.json({ error: { code: 'internal', message: '系统出了点问题，请稍后再试。' } }, 500)
  })

  return app
}
