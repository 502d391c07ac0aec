import { USERNAME } from './accounts.js'
import { parseHash } from './password-format.js'

/**
 * STAFF_BOOTSTRAP_ADMIN = "username:scrypt$N$r$p$salt$hash", as `npm run staff -- hash <username>` prints it:
 * the first admin of a console whose accounts cannot be made by the CLI (Workers). The account or why not.
 */
export function parseBootstrapAdmin(value: string): { username: string; passwordHash: string } | { problem: string } {
  const i = value.indexOf(':')
  const username = value.slice(0, Math.max(0, i)).trim().toLowerCase()
  const passwordHash = value.slice(i + 1).trim()
  if (i < 0 || !USERNAME.test(username)) return { problem: 'must be username:hash with a username of 2-32 characters a-z 0-9 . _ - (npm run staff -- hash <username>)' }
  if (!parseHash(passwordHash)) return { problem: 'the part after the colon is not a scrypt hash made by npm run staff -- hash' }
  return { username, passwordHash }
}
