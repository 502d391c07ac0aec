import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { PasswordHasher } from './accounts.js'
import { DEFAULT_PARAMS, formatHash, KEY_LENGTH, normalizePassword, parseHash, SALT_LENGTH, scryptMemory, type ScryptParams } from './password-format.js'

function derive(password: string, salt: Uint8Array, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(normalizePassword(password), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))))
}

/**
 * scrypt (node:crypto) with a random 16-byte salt per password, stored as `scrypt$N$r$p$salt$hash` (base64,
 * password-format.ts). The parameters travel with each hash, so raising them later still verifies the old ones.
 * On Node the native scrypt runs on libuv's thread pool and leaves the event loop free; the Worker uses
 * password-web.ts (pure JS, same format and results).
 */
export function createScryptHasher({ N = DEFAULT_PARAMS.N, r = DEFAULT_PARAMS.r, p = DEFAULT_PARAMS.p, keyLength = KEY_LENGTH }: Partial<ScryptParams> & { keyLength?: number } = {}): PasswordHasher {
  const params: ScryptParams = { N, r, p }
  return {
    async hash(password) {
      const salt = randomBytes(SALT_LENGTH)
      const key = await derive(password, salt, keyLength, { ...params, maxmem: scryptMemory(params) })
      return formatHash({ ...params, salt, key })
    },
    async verify(password, stored) {
      const h = parseHash(stored)
      if (!h) return false
      const key = await derive(password, h.salt, h.key.length, { N: h.N, r: h.r, p: h.p, maxmem: scryptMemory(h) })
      return timingSafeEqual(key, h.key)
    },
  }
}
