import type { DurableObjectNamespace, ExecutionContext } from '@cloudflare/workers-types/index.js'
import { createBot, type Bot } from '../bot.js'
import { configFromBindings, type Config } from '../config.js'
import { buildModelWith, buildWeChat } from '../deps-web.js'
import type { ScryptParams } from '../console/password-format.js'
import type { Engine } from '../engine/engine.js'
import { createApp } from '../http/app.js'
import { segmenterWords } from '../knowledge/knowledge.js'
import { createIntlSegmenter } from '../rag/intl-segmenter.js'
import { createDurableStore } from '../store/durable/durable-store.js'
import type { Store } from '../store/types.js'
import { bootstrapAdmin, workerConsoleOptions } from './console.js'
import { workerKnowledge } from './knowledge.js'
import { createWorkerLogger } from './logger.js'
import { bundledPrompts } from './prompts.js'

/** The Worker's bindings (wrangler.toml): the Durable Object namespaces, and the vars and secrets of src/config.ts. */
export interface WorkerEnv {
  USERS: DurableObjectNamespace
  SHARED: DurableObjectNamespace
  LEDGER: DurableObjectNamespace
  [name: string]: unknown
}

export interface WorkerHandler {
  (request: Request, ctx: ExecutionContext): Promise<Response>
  bot: Bot
  config: Config
  store: Store
}

export interface WorkerHandlerOptions {
  /** Prefix of every Durable Object name (tests run several apps side by side in one namespace). */
  tenant?: string
  /** Tests: a slower engine, to spend the WeChat time budget. */
  wrapEngine?: (engine: Engine) => Engine
  /** Tests: cheaper scrypt for the passwords the console hashes (format and checks unchanged; a hash carries its own). */
  passwordParams?: Partial<ScryptParams>
}

/**
 * Everything the Worker serves, built from its bindings: the same bot (engine, skills, knowledge) as on Node,
 * with the Intl segmenter, the Durable Object store, and the Workers logger. Called on the first request.
 */
export async function createWorkerHandler(env: WorkerEnv, { tenant, wrapEngine = (e) => e, passwordParams }: WorkerHandlerOptions = {}): Promise<WorkerHandler> {
  const config = configFromBindings(env)
  const logger = createWorkerLogger(config.LOG_LEVEL)
  const knowledge = workerKnowledge()
  const segmenter = createIntlSegmenter(segmenterWords(knowledge))
  const store = createDurableStore({
    users: env.USERS,
    shared: env.SHARED,
    ledger: env.LEDGER,
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    tenant,
    handoffKeepClosed: config.HANDOFF_KEEP_CLOSED,
  })
  // The ledger object queues each notice with its report and delivers it from its alarm; nothing to ask for here.
  const deliverNotices = config.NOTIFY_WEBHOOK_URL ? () => undefined : undefined
  // Model mode as on Node: LangChain bundles for workerd and is loaded (evaluated) only when a key is set.
  const model = await buildModelWith(config, bundledPrompts)
  const wechat = buildWeChat(config, store, logger)
  // The staff queue (转人工) as on Node: office hours, pickup time, and pushes by customer-service message.
  const handoff = { hours: config.HANDOFF_HOURS, pickupMinutes: config.HANDOFF_PICKUP_MINUTES, wechatApi: wechat?.api }
  const bot = createBot({ knowledge, segmenter, store, logger, deliverNotices, model, handoff })
  const engine = wrapEngine(bot.engine)
  if (config.REDIS_URL) logger.warn('REDIS_URL is ignored on Workers: the store is Durable Objects')
  const staffConsole = workerConsoleOptions(config, bot, passwordParams)
  if (!staffConsole) logger.info('staff console off: set CONSOLE_SECRET to serve /console')
  const app = createApp({ engine, store, logger, maxTextLength: config.MAX_TEXT_LENGTH, wechat, model: bot.model, console: staffConsole })

  // The first admin, from STAFF_BOOTSTRAP_ADMIN, checked before the first console request of this isolate
  // (again on the next one if the ledger could not be reached, or another isolate was doing it).
  let firstAdmin: Promise<unknown> | undefined
  const ensureAdmin = (value: string) =>
    (firstAdmin ??= bootstrapAdmin(value, { store, logger }).then(
      (result) => {
        if (result === 'busy') firstAdmin = undefined
      },
      (err: Error) => {
        firstAdmin = undefined
        logger.error({ err: err.message }, 'STAFF_BOOTSTRAP_ADMIN could not be applied')
      },
    ))

  // Work that goes on after the response (an answer over the WeChat budget, the rest of a long answer, the answer
  // cached for retries) is handed to ctx.waitUntil by the routes themselves (Hono's c.executionCtx).
  const handler = async function handleRequest(request: Request, ctx: ExecutionContext): Promise<Response> {
    if (staffConsole && config.STAFF_BOOTSTRAP_ADMIN && new URL(request.url).pathname.startsWith('/console')) await ensureAdmin(config.STAFF_BOOTSTRAP_ADMIN)
    return app.fetch(request, env, ctx)
  }
  return Object.assign(handler, { bot, config, store })
}

/**
 * The Cron Trigger's work (wrangler.toml [triggers]): handoffs nobody took in time are marked and their users told,
 * as the background sweep does every few seconds on Node. Without it a user would hear it only at their next message.
 */
export function scheduledWork(handler: WorkerHandler): Promise<void> {
  return handler.bot.handoff.sweep()
}
