import { serve } from '@hono/node-server'
import { loadConfig } from './config.js'
import { buildConsole, buildNodeBot } from './deps.js'
import { createApp } from './http/app.js'
import { startHandoffSweeper } from './handoff/sweeper.js'

const startedAt = performance.now()
const config = loadConfig()
const bot = await buildNodeBot(config).catch((err: Error) => {
  console.error(err.message)
  process.exit(1)
})
const app = createApp({
  engine: bot.engine,
  store: bot.store,
  logger: bot.logger,
  maxTextLength: config.MAX_TEXT_LENGTH,
  wechat: bot.wechat,
  model: bot.model,
  console: buildConsole(config, bot, bot.logger),
})

// Deliver queued notices now (left over from before a restart) and keep retrying the ones that fail.
bot.outbox?.start(config.NOTIFY_RETRY_SECONDS * 1000)
void bot.outbox?.drain().catch(() => undefined)
// 转人工: handoffs nobody took in time are told so (WeChat users at once), from every instance.
const sweeper = bot.handoff && startHandoffSweeper({ desk: bot.handoff, logger: bot.logger })

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  bot.logger.info({ port: info.port, readyMs: Math.round(performance.now() - startedAt) }, 'tongbao bot ready')
})

const SHUTDOWN_GRACE_MS = 5_000
let stopping = false

/**
 * Stop in dependency order: take no new requests (and let those under way finish, for a few seconds at most),
 * then stop the outbox worker and wait for a delivery under way to be recorded, and only then close the store —
 * so nothing writes to a closed store, and no notice is sent but left in the outbox to be sent again.
 */
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  bot.logger.info({ signal }, 'shutting down')
  const grace = new Promise<void>((done) => setTimeout(done, SHUTDOWN_GRACE_MS).unref())
  const closed = new Promise<void>((done) => server.close(() => done()))
  ;(server as { closeIdleConnections?: () => void }).closeIdleConnections?.()
  await Promise.race([closed, grace])
  await Promise.race([bot.outbox?.stop(), grace])
  await Promise.race([sweeper?.stop(), grace])
  await bot.store.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
