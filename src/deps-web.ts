import type { Logger } from 'pino'
import { createWeChatApi, type WeChatApi } from './channels/wechat/api.js'
import { createMessageCrypto } from './channels/wechat/crypto.js'
import type { Config } from './config.js'
import type { AppDeps } from './http/app.js'
import type { ModelFactory } from './llm/mode.js'
import type { Prompts } from './llm/prompts.js'
import type { Store } from './store/types.js'

// The builders src/deps.ts (Node) and src/worker/build.ts (Cloudflare Workers) share: Web-standard only.

export type WeChatDeps = NonNullable<AppDeps['wechat']> & { api?: WeChatApi }

/** WeChat settings → crypto for safe mode and the API client (only with an AppSecret); undefined without a token. */
export function buildWeChat(config: Config, store: Store, logger: Logger): WeChatDeps | undefined {
  if (!config.WECHAT_TOKEN) return undefined
  const crypto =
    config.WECHAT_ENCODING_AES_KEY && config.WECHAT_APP_ID
      ? createMessageCrypto({
          appId: config.WECHAT_APP_ID,
          encodingAesKey: config.WECHAT_ENCODING_AES_KEY,
          previousEncodingAesKey: config.WECHAT_ENCODING_AES_KEY_PREVIOUS,
        })
      : undefined
  const api =
    config.WECHAT_APP_ID && config.WECHAT_APP_SECRET
      ? createWeChatApi({
          appId: config.WECHAT_APP_ID,
          appSecret: config.WECHAT_APP_SECRET,
          apiBase: config.WECHAT_API_BASE,
          kv: store.kv,
          runExclusive: (key, fn) => store.runExclusive(key, fn),
          logger,
        })
      : undefined
  return { token: config.WECHAT_TOKEN, crypto, api, budgetMs: config.WECHAT_REPLY_BUDGET_MS }
}

/**
 * Model mode when OPENAI_API_KEY is set: the chat model for the configured OpenAI-compatible endpoint and the
 * prompts, checked now (`loadPrompts`: the runtime's own reader, called only with a key). No key: undefined.
 */
export async function buildModelWith(config: Config, loadPrompts: () => Promise<Prompts>): Promise<ModelFactory | undefined> {
  if (!config.OPENAI_API_KEY) return undefined
  // LangChain is loaded only here: the embedded mode starts without it (about 0.2 s less).
  const [{ createChatModel }, { createModelMode }] = await Promise.all([import('./llm/client.js'), import('./llm/mode.js')])
  const prompts = await loadPrompts()
  const chat = await createChatModel({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxTokens: config.OPENAI_MAX_TOKENS,
    temperature: config.OPENAI_TEMPERATURE,
  })
  // The rule functions as tools only on request: precomputed results need one model call, tools at least two.
  const agent = config.OPENAI_RULES === 'tools' ? await (await import('./llm/rule-tools.js')).loadRuleAgent() : undefined
  const setup = {
    chat,
    prompts,
    agent,
    settings: {
      modelName: config.OPENAI_MODEL,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      cacheTtlSeconds: config.OPENAI_CACHE_TTL_SECONDS,
      userLimit: config.OPENAI_USER_LIMIT,
      userWindowSeconds: config.OPENAI_USER_WINDOW_SECONDS,
      historyTokens: config.OPENAI_HISTORY_TOKENS,
      maxChars: config.OPENAI_ANSWER_CHARS,
      structuredMethod: config.OPENAI_STRUCTURED_METHOD,
      breakerFailures: config.OPENAI_BREAKER_FAILURES,
      breakerCooldownMs: config.OPENAI_BREAKER_COOLDOWN_SECONDS * 1000,
    },
  }
  return (deps) => createModelMode(setup, deps)
}
