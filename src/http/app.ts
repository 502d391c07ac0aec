import { Hono } from 'hono'
import type { Logger } from 'pino'
import type { Engine } from '../engine/engine.js'
import type { Store } from '../store/types.js'
import type { WeChatRouteOptions } from '../channels/wechat/route.js'
import { wechatRoute } from '../channels/wechat/route.js'
import { capBody } from './body-limit.js'
import { chatRoute } from './chat/route.js'
import { HttpError } from './errors.js'
import type { ModelHealth } from '../llm/mode.js'
import { createConsole } from '../console/console.js'
import type { ConsoleOptions } from '../console/context.js'

export interface AppDeps {
  engine: Engine
  store: Store
  logger: Logger
  maxTextLength: number
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number
  /** Mounts /wechat when given (WECHAT_TOKEN set). */
  wechat?: Omit<WeChatRouteOptions, 'engine' | 'store' | 'logger' | 'maxTextLength'>
  /** Model mode, when on: /healthz says so and shows the circuit breaker. */
  model?: { health(): ModelHealth }
  /** Mounts the staff console at /console when given (CONSOLE_SECRET set). */
  console?: ConsoleOptions
}

/** Build the HTTP app over Fetch Request/Response only, so Node and Workers share it. */
export function createApp({ engine, store, logger, maxTextLength, maxBodyBytes = 16 * 1024, wechat, model, console: staffConsole }: AppDeps): Hono {
  const app = new Hono()

  const cap = capBody({ maxBytes: maxBodyBytes })
  // The console's roster upload (admins only, a CSV) has its own, larger limit there.
  app.use('*', (c, next) => (staffConsole && c.req.path === '/console/roster' ? next() : cap(c, next)))

  app.get('/healthz', async function healthz(c) {
    const [reachable, problems] = await Promise.all([store.health(), store.problems?.() ?? []])
    const storeHealth = reachable === 'ok' && !problems.length ? 'ok' : 'degraded'
    // An open circuit is not "degraded": every answer still goes out, from the embedded mode.
    const modelHealth = model ? { model: 'on', modelName: model.health().model, circuit: model.health().circuit } : { model: 'off' }
    return c.json({ status: storeHealth, store: storeHealth, ...(problems.length ? { problems } : {}), ...modelHealth }, 200)
  })

  app.route('/api/chat', chatRoute({ engine, maxTextLength }))
  // The same text limit on every channel: /api/chat answers 400, WeChat a polite reply; neither processes it.
  if (wechat) app.route('/wechat', wechatRoute({ ...wechat, engine, store, logger, maxTextLength }))
  if (staffConsole) app.route('/console', createConsole({ ...staffConsole, engine, store, logger, wechatApi: wechat?.api }))
  else app.all('/console/*', (c) => c.text('坐席控制台未启用：服务端没有设置 CONSOLE_SECRET。', 404))

  app.notFound((c) => c.json({ error: { code: 'not_found', message: '没有这个地址' } }, 404))

  app.onError(function handleError(err, c) {
    if (err instanceof HttpError) return c.json({ error: { code: err.code, message: err.message } }, err.status)
    logger.error({ err }, 'unhandled error')
    return c.json({ error: { code: 'internal', message: '系统出了点问题，请稍后再试。' } }, 500)
  })

  return app
}
