/*
 * The stored form of a staff password, shared by both hashers (password-node.ts: node:crypto's scrypt;
 * password-web.ts: @noble/hashes' scrypt on Workers): `scrypt$N$r$p$salt$hash`, salt and hash in base64.
 * Web-standard only (atob/btoa), so the Worker can read hashes made by `npm run staff` and the other way round.
 */

export interface ScryptParams {
  N: number
  r: number
  p: number
}

/** N=2^15, r=8, p=1: about 32 MB and 60 ms (Node) / 100 ms (pure JS) a check: cheap for a login, slow for a guesser. */
export const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 }
export const KEY_LENGTH = 32
export const SALT_LENGTH = 16

/** Memory scrypt needs for these parameters (128·r·N bytes, plus a little). */
export function scryptMemory({ N, r }: Pick<ScryptParams, 'N' | 'r'>): number {
  return 256 * N * r
}

export interface StoredHash extends ScryptParams {
  salt: Uint8Array
  key: Uint8Array
}

/** Costs a stored hash may ask for: anything beyond is refused before any work (a planted hash cannot exhaust memory). */
const MAX = { N: 2 ** 20, r: 32, p: 16 }

export function formatHash({ N, r, p, salt, key }: StoredHash): string {
  return `scrypt$${N}$${r}$${p}$${toBase64(salt)}$${toBase64(key)}`
}

/** The parts of a stored hash, or undefined when it is not one (wrong shape, absurd costs, a key too short). */
export function parseHash(stored: string): StoredHash | undefined {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > MAX.N || r > MAX.r || p > MAX.p) return undefined
  // scrypt needs N a power of two above 1.
  if (N < 2 || (N & (N - 1)) !== 0) return undefined
  const salt = fromBase64(parts[4]!)
  const key = fromBase64(parts[5]!)
  if (!salt || !key || key.length < 16) return undefined
  return { N, r, p, salt, key }
}

/** Compare in time that does not depend on where the bytes differ. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** Passwords are compared after NFKC, so a full-width "ａ" typed on a Chinese keyboard is the same as "a". */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC')
}

function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

function fromBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))
  } catch {
    return undefined
  }
}
