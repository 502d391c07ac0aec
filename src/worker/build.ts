import type { DurableObjectNamespace, ExecutionContext } from '@cloudflare/workers-types/index.js'
import { createBot, type Bot } from '../bot.js'
import { configFromBindings, type Config } from '../config.js'
import { buildModelWith, buildWeChat } from '../deps-web.js'
import type { Engine } from '../engine/engine.js'
import { createApp } from '../http/app.js'
import { segmenterWords } from '../knowledge/knowledge.js'
import { createIntlSegmenter } from '../rag/intl-segmenter.js'
import { createDurableStore } from '../store/durable/durable-store.js'
import type { KvStore, Store } from '../store/types.js'
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
}

const settled = () => undefined

/** Wrap every method of an object so the promises it returns are kept alive by `keep`. */
function kept<T extends object>(target: T, keep: <R>(p: Promise<R>) => Promise<R>): T {
  const out = {} as Record<string, unknown>
  for (const [name, fn] of Object.entries(target)) {
    out[name] = typeof fn === 'function' ? (...args: unknown[]) => keep((fn as (...a: unknown[]) => Promise<unknown>).apply(target, args)) : fn
  }
  return out as T
}

/**
 * Everything the Worker serves, built from its bindings: the same bot (engine, skills, knowledge) as on Node,
 * with the Intl segmenter, the Durable Object store, and the Workers logger. Called on the first request.
 */
export async function createWorkerHandler(env: WorkerEnv, { tenant, wrapEngine = (e) => e }: WorkerHandlerOptions = {}): Promise<WorkerHandler> {
  const config = configFromBindings(env)
  const logger = createWorkerLogger(config.LOG_LEVEL)
  const knowledge = workerKnowledge()
  const segmenter = createIntlSegmenter(segmenterWords(knowledge))
  const store = createDurableStore({ users: env.USERS, shared: env.SHARED, ledger: env.LEDGER, sessionTtlSeconds: config.SESSION_TTL_SECONDS, tenant })
  // The ledger object queues each notice with its report and delivers it from its alarm; nothing to ask for here.
  const deliverNotices = config.NOTIFY_WEBHOOK_URL ? () => undefined : undefined
  // Model mode as on Node: LangChain bundles for workerd and is loaded (evaluated) only when a key is set.
  const model = await buildModelWith(config, bundledPrompts)
  const bot = createBot({ knowledge, segmenter, store, logger, deliverNotices, model })
  const botEngine = wrapEngine(bot.engine)
  const wechat = buildWeChat(config, store, logger)
  if (config.REDIS_URL) logger.warn('REDIS_URL is ignored on Workers: the store is Durable Objects')
  // The console hashes passwords with node:crypto's scrypt and its accounts are made by `npm run staff` on Node.
  if (config.CONSOLE_SECRET) logger.warn('the staff console is not served on Workers (see README); /console answers 404')

  const handler = function handleRequest(request: Request, ctx: ExecutionContext): Promise<Response> {
    // Work that goes on after the response (an answer over the WeChat budget sent by customer-service message,
    // the rest of a long answer, the answer cached for WeChat's retries) must be handed to waitUntil, or the
    // runtime may cancel it once the response is out. Everything the app starts through these is kept.
    const keep = <R>(p: Promise<R>): Promise<R> => {
      ctx.waitUntil(p.then(settled, settled))
      return p
    }
    const engine: Engine = { handle: (message) => keep(botEngine.handle(message)) }
    const kv: KvStore = kept(store.kv, keep)
    const app = createApp({
      engine,
      store: { ...store, kv },
      logger,
      maxTextLength: config.MAX_TEXT_LENGTH,
      wechat: wechat && { ...wechat, api: wechat.api && kept(wechat.api, keep) },
      model: bot.model,
    })
    return Promise.resolve(app.fetch(request, env, ctx))
  }
  return Object.assign(handler, { bot, config, store })
}
