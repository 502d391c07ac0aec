import { z } from 'zod'
import { parseBootstrapAdmin } from './console/password-bootstrap.js'
import { DEFAULT_HOURS, parseHours } from './handoff/hours.js'

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined))

/** An on/off switch: true/false, 1/0, yes/no, on/off. */
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on')

/** Environment variables the bot reads; names are a contract (see README). */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  KNOWLEDGE_DIR: z.string().default('./knowledge'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(30 * 24 * 3600),
  MAX_TEXT_LENGTH: z.coerce.number().int().positive().default(1000),
  REDIS_URL: optional,
  REDIS_KEY_PREFIX: z.string().min(1).default('tb:'),
  /**
   * Start even when Redis may evict keys (maxmemory-policy other than noeviction). Redis holds the reports, the
   * accounts and the audit log: an evicting Redis loses them silently. Only for a Redis used for nothing else and
   * sized so that it never reaches maxmemory.
   */
  REDIS_ALLOW_EVICTION: flag.default(false),
  NOTIFY_WEBHOOK_URL: optional,
  NOTIFY_RETRY_SECONDS: z.coerce.number().int().positive().default(30),
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  // Model mode (only read when OPENAI_API_KEY is set); see README "模型模式".
  /** Overall deadline of a turn's model calls; keep it under WECHAT_REPLY_BUDGET_MS so the passive reply still carries the answer. */
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(3500),
  /** How long a guarded answer stays cached (shared through the store); 0 turns the cache off. */
  OPENAI_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(86_400),
  /** Model calls per user per OPENAI_USER_WINDOW_SECONDS; over it the user gets the embedded answer; 0 = no limit. */
  OPENAI_USER_LIMIT: z.coerce.number().int().min(0).default(30),
  OPENAI_USER_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Tokens of earlier conversation the model sees. */
  OPENAI_HISTORY_TOKENS: z.coerce.number().int().min(0).default(800),
  /** Longest answer the provider may return (tokens) and the length the prompt asks for (characters). */
  OPENAI_MAX_TOKENS: z.coerce.number().int().positive().default(600),
  OPENAI_ANSWER_CHARS: z.coerce.number().int().positive().default(200),
  /** Unset: the provider's default (some reasoning models accept no other). */
  OPENAI_TEMPERATURE: z.preprocess((v) => (typeof v === 'string' && !v.trim() ? undefined : v), z.coerce.number().min(0).max(2).optional()),
  /** Structured extraction in the loss report: functionCalling or jsonMode (never the strict json_schema default). */
  OPENAI_STRUCTURED_METHOD: z.enum(['functionCalling', 'jsonMode']).default('functionCalling'),
  /** Failures in a row that open the circuit, and how long it stays open. */
  OPENAI_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
  OPENAI_BREAKER_COOLDOWN_SECONDS: z.coerce.number().int().positive().default(30),
  /** precomputed: rule results from the working facts go into the one call; tools: the model calls the rule functions (createAgent). */
  OPENAI_RULES: z.enum(['precomputed', 'tools']).default('precomputed'),
  PROMPTS_DIR: z.string().default('./prompts'),
  WECHAT_TOKEN: optional,
  WECHAT_APP_ID: optional,
  WECHAT_APP_SECRET: optional,
  WECHAT_ENCODING_AES_KEY: optional,
  /** The key before the last rotation, still accepted while WeChat switches over. */
  WECHAT_ENCODING_AES_KEY_PREVIOUS: optional,
  WECHAT_REPLY_BUDGET_MS: z.coerce.number().int().positive().max(4800).default(4500),
  WECHAT_API_BASE: z.string().default('https://api.weixin.qq.com'),
  /** wechaty channel (`npm run wechaty`): the puppet package and its token (service puppets such as padlocal). */
  WECHATY_PUPPET: z.string().trim().min(1).default('wechaty-puppet-wechat4u'),
  WECHATY_PUPPET_TOKEN: optional,
  /** In groups the bot answers when @-mentioned, or when a message starts with this prefix (unset: mentions only). */
  WECHATY_GROUP_PREFIX: optional,
  WECHATY_AUTO_ACCEPT: flag.default(false),
  /** Per contact: at most WECHATY_RATE_LIMIT messages answered per window of WECHATY_RATE_WINDOW_SECONDS (fixed windows). */
  WECHATY_RATE_LIMIT: z.coerce.number().int().positive().default(20),
  WECHATY_RATE_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  /** `npm run wechaty` also serves the HTTP app on PORT in the same process (one process sharing the embedded store). */
  WECHATY_SERVE_HTTP: flag.default(false),
  /** Signs the staff console's cookies (at least 32 characters, the same on every instance); unset → /console is off. */
  CONSOLE_SECRET: optional.refine((v) => v === undefined || v.length >= 32, 'must be at least 32 characters (e.g. openssl rand -hex 32)'),
  /** Workers: the first console admin, "username:hash" from `npm run staff -- hash <username>` (used only while there is no admin). */
  STAFF_BOOTSTRAP_ADMIN: optional.superRefine((v, ctx) => {
    const parsed = v === undefined ? undefined : parseBootstrapAdmin(v)
    if (parsed && 'problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem })
  }),
  /** When staff answer the queue (转人工), Beijing time: "mon-fri 09:00-18:00" (default) or "always"; see src/handoff/hours.ts. */
  HANDOFF_HOURS: z
    .string()
    .default(DEFAULT_HOURS)
    .transform((v, ctx) => {
      try {
        return parseHours(v)
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message })
        return z.NEVER
      }
    }),
  /** Nobody takes a handoff within this many minutes: the user is told, given the hotlines, and the bot answers again. */
  HANDOFF_PICKUP_MINUTES: z.coerce.number().int().positive().max(24 * 60).default(10),
  /** Closed handoffs kept (the last closed); older ones are deleted when another closes. Open ones are always kept. */
  HANDOFF_KEEP_CLOSED: z.coerce.number().int().min(10).max(1_000_000).default(2000),
  /**
   * Reverse proxies in front of the server that append to X-Forwarded-For (0: none, the socket's address is the
   * client's). The console throttles and locks out logins per client address; with a proxy, every client would
   * otherwise be the proxy. Never set it higher than the proxies you run: a client can write X-Forwarded-For itself.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
})

export type Config = z.infer<typeof configSchema>

/** Parse the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env)
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${issues}`)
  }
  // Without the AppID an EncodingAESKey cannot check messages, and /wechat would go on believing plain bodies.
  if (result.data.WECHAT_ENCODING_AES_KEY && !result.data.WECHAT_APP_ID) {
    throw new Error('Invalid configuration: WECHAT_ENCODING_AES_KEY needs WECHAT_APP_ID (safe and compatible modes check the AppID of every message)')
  }
  return result.data
}

/**
 * Cloudflare Workers: vars and secrets arrive as the Worker's env bindings, beside the Durable Object namespaces.
 * The plain values (a wrangler.toml var may be a TOML number or boolean) go through the same schema.
 */
export function configFromBindings(bindings: Record<string, unknown>): Config {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(bindings)) if (['string', 'number', 'boolean'].includes(typeof v)) env[k] = String(v)
  return loadConfig(env)
}
