import type { Context } from 'hono'
import type { Logger } from 'pino'
import type { WeChatApi } from '../channels/wechat/api.js'
import type { Engine } from '../engine/engine.js'
import type { HandoffDesk } from '../handoff/desk.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { PlaceResolver } from '../policy/places.js'
import type { StaffAccount, Store } from '../store/types.js'
import type { PasswordHasher } from './accounts.js'

/** What the console needs beyond the app's engine, store and logger (built in deps.ts on Node). */
export interface ConsoleOptions {
  /** CONSOLE_SECRET: signs the cookies; the same on every instance. */
  secret: string
  knowledge: Knowledge
  places: PlaceResolver
  hasher: PasswordHasher
  /** htmx.min.js, served at /console/assets/htmx.min.js (the app serves it itself: no CDN). */
  htmx: string
  now?: () => number
  /** The bot's staff queue (转人工), so replies reach channels this process can push to; else one over the store. */
  handoff?: HandoffDesk
  /** The client's address of a request (Node: the socket and TRUST_PROXY; Workers: CF-Connecting-IP); default "unknown". */
  clientAddress?: (c: Context) => string
  /** Password checks at once on this instance (login-gate.ts; default 2). */
  maxLoginHashes?: number
}

export interface ConsoleDeps extends ConsoleOptions {
  engine: Engine
  store: Store
  logger: Logger
  /** The WeChat customer-service API when an AppSecret is configured: status changes are pushed with it. */
  wechatApi?: WeChatApi
}

/** Writes one audit entry for the signed-in staff member: who and when are filled in. */
export type AuditFn = (action: string, target?: string, before?: unknown, after?: unknown) => Promise<void>

/** Hono environment of every console route: the signed-in staff member, their CSRF token, the CSP nonce. */
export interface ConsoleEnv {
  Variables: {
    staff: StaffAccount
    /** The session's CSRF token: every form carries it as `_csrf` (htmx sends it as X-CSRF-Token). */
    csrf: string
    /** The session id (the signed cookie's value). */
    sessionId: string
    audit: AuditFn
    /** Set by hono/secure-headers' NONCE: the only scripts that run carry it. */
    secureHeadersNonce?: string
  }
}
