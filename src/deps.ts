import { mkdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import type { PuppetModuleName, Wechaty } from 'wechaty'
import { createBot, type Bot } from './bot.js'
import type { Config } from './config.js'
import { segmenterWords } from './knowledge/knowledge.js'
import { loadKnowledgeDir } from './knowledge/load-node.js'
import { createLogger } from './log.js'
import { createJiebaSegmenter } from './rag/jieba-segmenter.js'
import { buildStore } from './store/build-store.js'
import { createOutboxWorker, createWebhookSender, type OutboxWorker } from './notify/outbox-worker.js'
import { createNoticeBody } from './notify/report-notice.js'
import type { Store } from './store/types.js'
import type { ModelFactory } from './llm/mode.js'
import { buildModelWith, buildWeChat, type WeChatDeps } from './deps-web.js'
import type { Logger } from 'pino'
import type { ConsoleOptions } from './console/context.js'
import type { Context } from 'hono'
import { clientAddress } from './http/client-address.js'
import { createScryptHasher } from './console/password-node.js'

export { buildWeChat, type WeChatDeps }

/** The one place that turns configuration into clients (Node runtime). Nothing connects at import time. */
export async function buildNodeBot(config: Config, overrides: { store?: Store } = {}): Promise<Bot & { logger: ReturnType<typeof createLogger>; outbox?: OutboxWorker; wechat?: WeChatDeps }> {
  const logger = createLogger(config.LOG_LEVEL)
  const knowledge = loadKnowledgeDir(resolve(config.KNOWLEDGE_DIR))
  const segmenter = createJiebaSegmenter(segmenterWords(knowledge))
  const store = overrides.store ?? (await buildStore(config, logger))
  const outbox = config.NOTIFY_WEBHOOK_URL
    ? createOutboxWorker({
        outbox: store.outbox,
        send: createWebhookSender(config.NOTIFY_WEBHOOK_URL, { body: createNoticeBody(knowledge, store.reports) }),
        logger,
        // First retry after NOTIFY_RETRY_SECONDS, doubling up to an hour: a long outage delays, never drops.
        backoffMs: (attempts) => Math.min(3600_000, config.NOTIFY_RETRY_SECONDS * 1000 * 2 ** (attempts - 1)),
      })
    : undefined
  // The store queues a report's notice with the report (exactly once); this only asks for delivery now.
  const deliverNotices = outbox && (() => void outbox.drain().catch((err: Error) => logger.warn({ err: err.message }, 'outbox drain failed')))
  const wechat = buildWeChat(config, store, logger)
  const handoff = { hours: config.HANDOFF_HOURS, pickupMinutes: config.HANDOFF_PICKUP_MINUTES, wechatApi: wechat?.api }
  const bot = createBot({ knowledge, segmenter, store, logger, deliverNotices, model: await buildModel(config), handoff })
  return { ...bot, logger, outbox, wechat }
}

/**
 * Model mode when OPENAI_API_KEY is set, with the prompts read from PROMPTS_DIR (only then: no key, no reading).
 * A missing placeholder stops start-up with the file's name. No key: undefined, no model.
 */
export function buildModel(config: Config): Promise<ModelFactory | undefined> {
  return buildModelWith(config, async () => (await import('./llm/load-prompts-node.js')).loadPromptsDir(resolve(config.PROMPTS_DIR)))
}

/**
 * The wechaty client for `npm run wechaty`: the puppet named by WECHATY_PUPPET (with WECHATY_PUPPET_TOKEN for
 * service puppets). The login is kept in DATA_DIR/wechaty.memory-card.json so a restart can log in again without
 * a new scan. wechaty is loaded here, on demand, so the HTTP server never loads it.
 */
export async function buildWechaty(config: Config): Promise<Wechaty> {
  const { WechatyBuilder } = await import('wechaty')
  mkdirSync(resolve(config.DATA_DIR), { recursive: true })
  return WechatyBuilder.build({
    name: resolve(config.DATA_DIR, 'wechaty'),
    puppet: config.WECHATY_PUPPET as PuppetModuleName,
    puppetOptions: config.WECHATY_PUPPET_TOKEN ? { token: config.WECHATY_PUPPET_TOKEN } : {},
  })
}

/**
 * The staff console's settings when CONSOLE_SECRET is set: scrypt for passwords, htmx read from node_modules (the
 * app serves it itself). Without a secret the console stays off, and the log says so.
 */
export function buildConsole(config: Config, bot: Pick<Bot, 'knowledge' | 'places' | 'handoff'>, logger: Logger): ConsoleOptions | undefined {
  if (!config.CONSOLE_SECRET) {
    logger.info('staff console off: set CONSOLE_SECRET to serve /console')
    return undefined
  }
  const htmx = readFileSync(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'), 'utf8')
  // The socket's peer, or with TRUST_PROXY the address the trusted proxies saw (src/http/client-address.ts).
  // (@hono/node-server puts the request's socket in c.env; in-process requests have none.)
  const socketOf = (c: Context) => (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress
  const clientOf = (c: Context) => clientAddress(socketOf(c), c.req.header('x-forwarded-for'), config.TRUST_PROXY)
  return {
    secret: config.CONSOLE_SECRET,
    knowledge: bot.knowledge,
    places: bot.places,
    hasher: createScryptHasher(),
    htmx,
    handoff: bot.handoff,
    clientAddress: clientOf,
    // scrypt runs on libuv's thread pool: half the cores at most, so a login flood leaves the rest to the bot.
    maxLoginHashes: Math.max(1, Math.floor(availableParallelism() / 2)),
  }
}
