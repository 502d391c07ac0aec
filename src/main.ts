import { serve } from '@hono/node-server'
import { loadConfig } from './config.js'
import { buildNodeBot } from './deps.js'
import { createApp } from './http/app.js'

const startedAt = performance.now()
const config = loadConfig()
const bot = await buildNodeBot(config).catch((err: Error) => {
  console.error(err.message)
  process.exit(1)
})
const app = createApp({ engine: bot.engine, store: bot.store, logger: bot.logger, maxTextLength: config.MAX_TEXT_LENGTH, wechat: bot.wechat })

// Deliver queued notices now (left over from before a restart) and keep retrying the ones that fail.
bot.outbox?.start(config.NOTIFY_RETRY_SECONDS * 1000)
void bot.outbox?.drain().catch(() => undefined)

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  bot.logger.info({ port: info.port, readyMs: Math.round(performance.now() - startedAt) }, 'tongbao bot ready')
})

async function shutdown(signal: string) {
  bot.logger.info({ signal }, 'shutting down')
  server.close()
  bot.outbox?.stop()
  await bot.store.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
