import htmx from 'htmx.org/dist/htmx.min.js'
import type { Logger } from 'pino'
import type { Bot } from '../bot.js'
import type { Config } from '../config.js'
import { publicAccount } from '../console/accounts.js'
import type { ConsoleOptions } from '../console/context.js'
import { parseBootstrapAdmin } from '../console/password-bootstrap.js'
import type { ScryptParams } from '../console/password-format.js'
import { createWebScryptHasher } from '../console/password-web.js'
import { clientAddress } from '../http/client-address.js'
import type { StaffAccount, Store } from '../store/types.js'

/**
 * The staff console's settings on Workers, as buildConsole (src/deps.ts) makes them on Node: the same pages,
 * with the pure-JS scrypt hasher (same hashes) and htmx bundled as a text module (wrangler.toml [[rules]]).
 * Without CONSOLE_SECRET the console stays off, as on Node.
 */
export function workerConsoleOptions(config: Config, bot: Pick<Bot, 'knowledge' | 'places' | 'handoff'>, passwordParams?: Partial<ScryptParams>): ConsoleOptions | undefined {
  if (!config.CONSOLE_SECRET) return undefined
  return {
    secret: config.CONSOLE_SECRET,
    knowledge: bot.knowledge,
    places: bot.places,
    hasher: createWebScryptHasher(passwordParams),
    htmx,
    handoff: bot.handoff,
    // Cloudflare sets CF-Connecting-IP itself (a client cannot), so TRUST_PROXY has no part here.
    clientAddress: (c) => clientAddress(c.req.header('cf-connecting-ip'), undefined, 0),
    // The pure-JS scrypt holds the isolate while it runs: one at a time, the next refused at once.
    maxLoginHashes: 1,
  }
}

/** Actor of the audit entries the bootstrap writes (as `cli` for `npm run staff`). */
export const BOOTSTRAP_ACTOR = 'bootstrap'
const BOOTSTRAP_LOCK = 'console:bootstrap'

export type BootstrapResult = 'created' | 'not-needed' | 'busy'

/**
 * The first admin on Workers, where `npm run staff` cannot reach the Durable Object ledger: when the ledger has
 * no admin at all, the account of STAFF_BOOTSTRAP_ADMIN is created, with an audit entry. Once any admin exists
 * it does nothing, so the secret cannot be used to take over or reset a working console; the log then says it can
 * be deleted. A short lock in the kv keeps two isolates starting together from doing it twice; the one that waits
 * goes on once the account is there.
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
  if (!(await store.kv.setIfAbsent(BOOTSTRAP_LOCK, '1', 60))) {
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100))
      if (await hasAdmin()) return 'not-needed'
    }
    return 'busy'
  }
  try {
    if (await hasAdmin()) return 'not-needed'
    // No admin, so nobody could have made accounts on this ledger; still, an existing account is not overwritten.
    if (await store.staff.get(parsed.username)) {
      logger.error({ user: parsed.username }, 'STAFF_BOOTSTRAP_ADMIN names an existing account that is not an admin: nothing done')
      return 'not-needed'
    }
    const t = now()
    const account: StaffAccount = { username: parsed.username, role: 'admin', districts: [], passwordHash: parsed.passwordHash, createdAt: t, updatedAt: t, passwordChangedAt: t }
    await store.staff.put(account)
    await store.audit.append({ at: t, actor: BOOTSTRAP_ACTOR, action: 'staff.add', target: account.username, after: publicAccount(account) })
    logger.warn({ user: account.username }, 'first console admin created from STAFF_BOOTSTRAP_ADMIN; delete the secret once signed in')
    return 'created'
  } finally {
    await store.kv.delete(BOOTSTRAP_LOCK).catch(() => undefined)
  }
}
