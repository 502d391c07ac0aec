import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import type { Logger } from 'pino'
import type { Engine } from '../engine/engine.js'
import { ownerKey } from '../engine/types.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { KvStore } from '../store/types.js'
import { createBreaker, type BreakerState } from './breaker.js'
import { createAnswerCache } from './cache.js'
import { createComposer, type Composer } from './composer.js'
import { createExtractor, type Extractor, type StructuredMethod } from './extract.js'
import { createHistory } from './history.js'
import type { Prompts } from './prompts.js'
import type { AgentRunner, RuleAgentDeps } from './rule-tools.js'
import type { PlaceResolver } from '../policy/places.js'
import { createRateLimiter } from './rate-limit.js'
import { createModelRuntime, type ModelRuntime, type ModelStats } from './runtime.js'

/** The knobs of model mode (from config: OPENAI_* and PROMPTS_DIR; see README "模型模式"). */
export interface ModelSettings {
  modelName: string
  /** Overall deadline of a turn's model calls, from the turn's start. */
  timeoutMs: number
  cacheTtlSeconds: number
  /** Model calls per user per window; 0 = no limit. */
  userLimit: number
  userWindowSeconds: number
  historyTokens: number
  maxChars: number
  structuredMethod: StructuredMethod
  breakerFailures: number
  breakerCooldownMs: number
}

export const DEFAULT_MODEL_SETTINGS: Omit<ModelSettings, 'modelName'> = {
  timeoutMs: 3500,
  cacheTtlSeconds: 86_400,
  userLimit: 30,
  userWindowSeconds: 3600,
  historyTokens: 800,
  maxChars: 200,
  structuredMethod: 'functionCalling',
  breakerFailures: 5,
  breakerCooldownMs: 30_000,
}

/** What the bot needs to run in model mode: a chat model, the checked prompts and the settings. */
export interface ModelSetup {
  chat: BaseChatModel
  prompts: Prompts
  settings: Partial<ModelSettings> & { modelName: string }
  /** OPENAI_RULES=tools: builds the agent that offers the rule functions as tools (see rule-tools.ts). */
  agent?: (deps: RuleAgentDeps) => AgentRunner
}

export interface ModelHealth {
  model: string
  /** closed: calls go out; open: every turn gets the embedded answer until the cooldown ends. */
  circuit: BreakerState
}

export interface ModelMode {
  composer: Composer
  extractor: Extractor
  runtime: ModelRuntime
  stats(): ModelStats
  health(): ModelHealth
  /** The engine with a turn frame around each message: one deadline for all its model calls, and memory. */
  wrap(engine: Engine): Engine
}

export interface ModelModeDeps {
  knowledge: Knowledge
  kv: KvStore
  logger: Logger
  now?: () => number
  /** For the manager tool (OPENAI_RULES=tools). */
  places?: PlaceResolver
}

/** Model mode built over the bot's own dependencies; deps.ts loads LangChain only when a key is set. */
export type ModelFactory = (deps: ModelModeDeps) => ModelMode

/** Assemble model mode over the store's kv (cache, rate limit, conversation memory shared across instances). */
export function createModelMode(setup: ModelSetup, { knowledge, kv, logger, now = Date.now, places }: ModelModeDeps): ModelMode {
  const s: ModelSettings = { ...DEFAULT_MODEL_SETTINGS, ...setup.settings }
  const runtime = createModelRuntime({
    history: createHistory(kv),
    limiter: createRateLimiter({ kv, limit: s.userLimit, windowSeconds: s.userWindowSeconds, now }),
    logger,
    timeoutMs: s.timeoutMs,
    // Provider health is wall-clock time, whatever clock the conversation runs on.
    breaker: createBreaker({ failures: s.breakerFailures, cooldownMs: s.breakerCooldownMs }),
  })
  const composer = createComposer({
    chat: setup.chat,
    prompts: setup.prompts,
    knowledge,
    runtime,
    cache: createAnswerCache(kv, s.cacheTtlSeconds),
    logger,
    modelName: s.modelName,
    maxChars: s.maxChars,
    historyTokens: s.historyTokens,
    agent: setup.agent?.({ chat: setup.chat, knowledge, places }),
  })
  const extractor = createExtractor({ chat: setup.chat, prompts: setup.prompts, runtime, logger, method: s.structuredMethod })
  return {
    composer,
    extractor,
    runtime,
    stats: () => runtime.stats,
    health: () => ({ model: s.modelName, circuit: runtime.circuit() }),
    wrap: (engine) => ({
      handle: async function handleWithModel(message) {
        await runtime.begin(message, ownerKey(message))
        const replies = await engine.handle(message)
        await runtime.end(message, { user: message.text, bot: replies.map((r) => r.text).join('\n') })
        return replies
      },
    }),
  }
}
