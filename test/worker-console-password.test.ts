import { scryptSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseHash } from '../src/console/password-format.js'
import { createScryptHasher } from '../src/console/password-node.js'
import { createWebScryptHasher } from '../src/console/password-web.js'

// The Worker's password hasher (pure JS, @noble/hashes) against node:crypto's scrypt, which `npm run staff` and
// the Node server use: one format, one result, so an account made on either runtime signs in on the other.

const node = createScryptHasher()
const web = createWebScryptHasher()
const PASSWORD = 'correct-horse-battery'

describe('the Workers password hasher (password-web.ts)', () => {
  it('makes hashes in the Node format and parameters that node:crypto verifies, and verifies those node:crypto makes', async () => {
    const fromWeb = await web.hash(PASSWORD)
    expect(fromWeb).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/)
    expect(await node.verify(PASSWORD, fromWeb)).toBe(true)
    expect(await node.verify(`${PASSWORD}x`, fromWeb)).toBe(false)

    const fromNode = await node.hash(PASSWORD)
    expect(fromNode.split('$').slice(0, 4)).toEqual(fromWeb.split('$').slice(0, 4))
    expect(await web.verify(PASSWORD, fromNode)).toBe(true)
    expect(await web.verify('correct-horse-batterY', fromNode)).toBe(false)
  })

  it('derives the very bytes node:crypto derives, for other parameters and key lengths too', async () => {
    for (const [N, r, p, keyLength] of [[2 ** 10, 8, 1, 32], [2 ** 12, 4, 2, 48], [2 ** 4, 1, 1, 16]] as const) {
      const stored = await createWebScryptHasher({ N, r, p, keyLength }).hash('密码也可以是中文的１２３')
      const h = parseHash(stored)!
      const expected = scryptSync('密码也可以是中文的123', h.salt, keyLength, { N, r, p, maxmem: 256 * N * r })
      expect(Buffer.from(h.key).equals(expected), stored).toBe(true)
      // Older hashes keep their own parameters: each hasher verifies whatever the hash says.
      expect(await web.verify('密码也可以是中文的１２３', stored)).toBe(true)
      expect(await node.verify('密码也可以是中文的123', stored)).toBe(true)
    }
  })

  it('compares passwords after NFKC on both runtimes (full-width letters from a Chinese keyboard)', async () => {
    const stored = await node.hash('ｃｏｒｒｅｃｔ-horse-battery')
    expect(await web.verify(PASSWORD, stored)).toBe(true)
    expect(await node.verify(PASSWORD, await web.hash('ｃｏｒｒｅｃｔ-horse-battery'))).toBe(true)
  })

  it('answers false, without throwing or allocating, for anything that is not a usable hash', async () => {
    const good = await node.hash(PASSWORD)
    const [, , , , salt, key] = good.split('$')
    const bad = [
      '',
      'bcrypt$2b$10$abc',
      `scrypt$32768$8$1$${salt}`, // no key
      `scrypt$32768$8$1$${salt}$${key}$x`,
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$1$8$1$${salt}$${key}`,
      `scrypt$2097152$8$1$${salt}$${key}`, // 2 GB: refused before any work
      `scrypt$1048576$32$1$${salt}$${key}`, // allowed on Node, too big for an isolate
      `scrypt$32768$0$1$${salt}$${key}`,
      `scrypt$32768$8$1$${salt}$${key!.slice(0, 8)}`, // key too short
      `scrypt$32768$8$1$%%%$${key}`,
    ]
    for (const stored of bad) expect(await web.verify(PASSWORD, stored), stored).toBe(false)
    for (const stored of bad.slice(0, 7)) expect(await node.verify(PASSWORD, stored), stored).toBe(false)
  })

  it('gives every hash its own salt', async () => {
    const [a, b] = await Promise.all([web.hash(PASSWORD), web.hash(PASSWORD)])
    expect(a.split('$')[4]).not.toBe(b.split('$')[4])
    expect(a).not.toBe(b)
  })
})
