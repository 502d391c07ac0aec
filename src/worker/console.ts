import htmx from 'htmx.org/dist/htmx.min.js'
import type { Logger } from 'pino'
import type { Bot } from '../bot.js'
import type { Config } from '../config.js'
import { publicAccount } from '../console/accounts.js'
import type { ConsoleOptions } from '../console/context.js'
import { parseBootstrapAdmin } from '../console/password-bootstrap.js'
import { createWebScryptHasher } from '../console/password-web.js'
import type { StaffAccount, Store } from '../store/types.js'

/**
 * The staff console's settings on Workers, as buildConsole (src/deps.ts) makes them on Node: the same pages,
 * with the pure-JS scrypt hasher (same hashes) and htmx bundled as a text module (wrangler.toml [[rules]]).
 * Without CONSOLE_SECRET the console stays off, as on Node.
 */
export function workerConsoleOptions(config: Config, bot: Pick<Bot, 'knowledge' | 'places' | 'handoff'>): ConsoleOptions | undefined {
  if (!config.CONSOLE_SECRET) return undefined
  return { secret: config.CONSOLE_SECRET, knowledge: bot.knowledge, places: bot.places, hasher: createWebScryptHasher(), htmx, handoff: bot.handoff }
}

/** Actor of the audit entries the bootstrap writes (as `cli` for `npm run staff`). */
export const BOOTSTRAP_ACTOR = 'bootstrap'
const BOOTSTRAP_LOCK = 'console:bootstrap'

export type BootstrapResult = 'created' | 'promoted' | 'not-needed' | 'busy'

/**
 * The first admin on Workers, where `npm run staff` cannot reach the Durable Object ledger: when the ledger has
 * no admin at all, the account of STAFF_BOOTSTRAP_ADMIN is created (or, if that username exists, made admin with
 * that password), with an audit entry. Once any admin exists it does nothing, so the secret cannot be used to
 * take over or reset a working console; the log then says it can be deleted.
 * A short lock in the kv keeps two isolates starting together from doing it twice.
 */
export async function bootstrapAdmin(value: string, { store, logger, now = Date.now }: { store: Pick<Store, 'staff' | 'audit' | 'kv'>; logger: Logger; now?: () => number }): Promise<BootstrapResult> {
  const parsed = parseBootstrapAdmin(value)
  // configFromBindings has checked the shape already; this is for callers that did not.
  if ('problem' in parsed) throw new Error(`STAFF_BOOTSTRAP_ADMIN ${parsed.problem}`)
  const hasAdmin = async () => (await store.staff.list()).some((a) => a.role === 'admin')
  if (await hasAdmin()) {
    logger.info('STAFF_BOOTSTRAP_ADMIN is set but the console already has an admin: it is not used (wrangler secret delete STAFF_BOOTSTRAP_ADMIN)')
    return 'not-needed'
  }
  if (!(await store.kv.setIfAbsent(BOOTSTRAP_LOCK, '1', 60))) return 'busy'
  try {
    if (await hasAdmin()) return 'not-needed'
    const t = now()
    const before = await store.staff.get(parsed.username)
    const account: StaffAccount = before
      ? { ...before, role: 'admin', districts: [], passwordHash: parsed.passwordHash, updatedAt: t, passwordChangedAt: Math.max(t, before.passwordChangedAt + 1) }
      : { username: parsed.username, role: 'admin', districts: [], passwordHash: parsed.passwordHash, createdAt: t, updatedAt: t, passwordChangedAt: t }
    await store.staff.put(account)
    if (before) {
      await store.audit.append({ at: t, actor: BOOTSTRAP_ACTOR, action: 'staff.role', target: account.username, before: publicAccount(before), after: publicAccount(account) })
      await store.audit.append({ at: t, actor: BOOTSTRAP_ACTOR, action: 'staff.passwd', target: account.username })
    } else {
      await store.audit.append({ at: t, actor: BOOTSTRAP_ACTOR, action: 'staff.add', target: account.username, after: publicAccount(account) })
    }
    logger.warn({ user: account.username }, 'first console admin created from STAFF_BOOTSTRAP_ADMIN; delete the secret once signed in')
    return before ? 'promoted' : 'created'
  } finally {
    await store.kv.delete(BOOTSTRAP_LOCK).catch(() => undefined)
  }
}
