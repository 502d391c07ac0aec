import { scrypt } from '@noble/hashes/scrypt.js'
import type { PasswordHasher } from './accounts.js'
import { DEFAULT_PARAMS, formatHash, KEY_LENGTH, normalizePassword, parseHash, SALT_LENGTH, sameBytes, scryptMemory, type ScryptParams } from './password-format.js'

/** What one check may allocate: a Worker isolate has 128 MB in all. The default parameters need 32 MB. */
const MAX_MEMORY = 64 * 1024 * 1024

/**
 * The same scrypt hashes as password-node.ts (format, parameters, results), in pure JS (@noble/hashes) for
 * Cloudflare Workers, where node:crypto's scrypt is not available without nodejs_compat. A check costs about
 * 100 ms of CPU at the default parameters.
 *
 * Synchronous on purpose: workerd's clock stands still while code runs, so noble's async variant would never
 * yield anyway, and one derivation at a time keeps a single 32 MB buffer alive even when logins arrive together.
 */
export function createWebScryptHasher({ N = DEFAULT_PARAMS.N, r = DEFAULT_PARAMS.r, p = DEFAULT_PARAMS.p, keyLength = KEY_LENGTH }: Partial<ScryptParams> & { keyLength?: number } = {}): PasswordHasher {
  const params: ScryptParams = { N, r, p }
  const derive = (password: string, salt: Uint8Array, dkLen: number, h: ScryptParams) =>
    scrypt(normalizePassword(password), salt, { ...h, dkLen, maxmem: scryptMemory(h) })
  return {
    async hash(password) {
      const salt = crypto.getRandomValues(new Uint8Array(SALT_LENGTH))
      return formatHash({ ...params, salt, key: derive(password, salt, keyLength, params) })
    },
    async verify(password, stored) {
      const h = parseHash(stored)
      // A hash whose costs would not fit in the isolate's memory cannot be checked here (none the CLI makes).
      if (!h || scryptMemory(h) > MAX_MEMORY) return false
      return sameBytes(derive(password, h.salt, h.key.length, h), h.key)
    },
  }
}
