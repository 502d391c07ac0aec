import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { PasswordHasher } from './accounts.js'

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))))
}

/**
 * scrypt (node:crypto) with a random 16-byte salt per password, stored as `scrypt$N$r$p$salt$hash` (base64). The
 * parameters travel with each hash, so raising them later still verifies the old ones. N=2^15, r=8 costs about
 * 32 MB and some 60 ms a check on a plain PC: cheap for a login, slow for a guesser.
 */
export function createScryptHasher({ N = 2 ** 15, r = 8, p = 1, keyLength = 32 }: { N?: number; r?: number; p?: number; keyLength?: number } = {}): PasswordHasher {
  const maxmem = (n: number, rr: number) => 256 * n * rr
  return {
    async hash(password) {
      const salt = randomBytes(16)
      const key = await derive(password, salt, keyLength, { N, r, p, maxmem: maxmem(N, r) })
      return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`
    },
    async verify(password, stored) {
      const parts = stored.split('$')
      if (parts.length !== 6 || parts[0] !== 'scrypt') return false
      const [n, rr, pp] = parts.slice(1, 4).map(Number) as [number, number, number]
      if (![n, rr, pp].every((x) => Number.isInteger(x) && x > 0) || n > 2 ** 20 || rr > 32 || pp > 16) return false
      const expected = Buffer.from(parts[5]!, 'base64')
      if (expected.length < 16) return false
      const key = await derive(password, Buffer.from(parts[4]!, 'base64'), expected.length, { N: n, r: rr, p: pp, maxmem: maxmem(n, rr) })
      return timingSafeEqual(key, expected)
    },
  }
}
