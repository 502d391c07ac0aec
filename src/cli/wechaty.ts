import { serve } from '@hono/node-server'
import qrcodeTerminal from 'qrcode-terminal'
import { ScanStatus } from 'wechaty'
import { attachWechatyChannel } from '../channels/wechaty/channel.js'
import { createContactSender } from '../channels/wechaty/staff-send.js'
import { startHandoffSweeper } from '../handoff/sweeper.js'
import { supervise, wechatyConnection } from '../channels/wechaty/supervisor.js'
import { loadConfig } from '../config.js'
import { buildConsole, buildNodeBot, buildWechaty } from '../deps.js'
import { createApp } from '../http/app.js'

/**
 * `npm run wechaty`: the bot in WeChat chats and groups through the puppet named by WECHATY_PUPPET. With
 * WECHATY_SERVE_HTTP=true the same process also serves the HTTP app (one process, one embedded store).
 */
const config = loadConfig()
const bot = await buildNodeBot(config).catch((err: Error) => {
  console.error(err.message)
  process.exit(1)
})
const { logger } = bot
const wechaty = await buildWechaty(config)

wechaty.on('scan', (qrcode, status) => {
  if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) {
    logger.info({ status: ScanStatus[status] }, 'wechaty scan')
    return
  }
  // The QR code goes to the terminal, not the JSON log: it is for the person logging in.
  console.log('请用要登录的微信扫描二维码：')
  qrcodeTerminal.generate(qrcode, { small: true })
})

const channel = attachWechatyChannel({
  wechaty,
  engine: bot.engine,
  store: bot.store,
  logger,
  groupPrefix: config.WECHATY_GROUP_PREFIX,
  autoAccept: config.WECHATY_AUTO_ACCEPT,
  rateLimit: config.WECHATY_RATE_LIMIT,
  rateWindowSeconds: config.WECHATY_RATE_WINDOW_SECONDS,
  maxTextLength: config.MAX_TEXT_LENGTH,
})

// Reports filed in WeChat chats notify their managers from this process too (it may be the only one running).
bot.outbox?.start(config.NOTIFY_RETRY_SECONDS * 1000)
void bot.outbox?.drain().catch(() => undefined)
// 转人工: a person's reply to a WeChat chat goes out from here at once (the console in this process), or at the
// next sweep when it was written on another instance; timed-out handoffs are told as well.
bot.handoff?.usePusher('wechaty', createContactSender({ wechaty }))
const sweeper = bot.handoff && startHandoffSweeper({ desk: bot.handoff, logger, intervalMs: 2_000 })

const server = config.WECHATY_SERVE_HTTP
  ? serve(
      {
        fetch: createApp({ engine: bot.engine, store: bot.store, logger, maxTextLength: config.MAX_TEXT_LENGTH, wechat: bot.wechat, model: bot.model, console: buildConsole(config, bot, logger) }).fetch,
        port: config.PORT,
        hostname: config.HOST,
      },
      (info) => logger.info({ port: info.port }, 'http server ready'),
    )
  : undefined

const supervisor = supervise(wechatyConnection(wechaty), { logger })
void supervisor.started.then(() => logger.info({ puppet: config.WECHATY_PUPPET }, 'wechaty started'))

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down')
  supervisor.stop()
  await wechaty.stop().catch((err: Error) => logger.warn({ err: err.message }, 'wechaty stop failed'))
  // Turns already taken finish (and are saved) before the store closes.
  await channel.idle()
  channel.detach()
  server?.close()
  await sweeper?.stop()
  await bot.outbox?.stop()
  await bot.store.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
