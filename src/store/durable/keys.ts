// With the u flag a surrogate range matches only unpaired surrogates; a pair is one code point outside it.
const ESCAPED = /\\|[\ud800-\udfff]/u
const ESCAPED_ALL = /\\|[\ud800-\udfff]/gu

/**
 * How the Durable Object store names things. Strings cross into SQLite and object names as UTF-8, where a lone
 * surrogate would become U+FFFD and two different user ids would meet: `escapeKey` makes every key well-formed
 * and stays one-to-one (a backslash is doubled, a lone surrogate becomes \uXXXX), and leaves ordinary ids as
 * they are.
 */
export function escapeKey(s: string): string {
  if (!ESCAPED.test(s)) return s
  return s.replace(ESCAPED_ALL, (c) => (c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16)}`))
}

/** Non-user kv keys are spread over this many objects (one object serves about a thousand requests a second). */
export const SHARED_SHARDS = 16

/** Where a key lives: the object of one user (with that user's session), or one of the shared objects. */
export type Home = { kind: 'user'; owner: string } | { kind: 'shared'; shard: string }

// Keys that belong to one user (see src/channels/wechat, src/llm/history.ts): kept in that user's object, beside
// the session, so a user's message dedupe and pending answers never touch another user's object.
const WECHAT_USER_KEY = /^wx:(?:msg|evt|more|pending):([^:]+)/
const HISTORY_KEY = /^llm:history:(.+)$/

/** The object a kv key lives in. Any key works; the routing only keeps a user's keys together. */
export function kvHome(key: string): Home {
  const wx = WECHAT_USER_KEY.exec(key)
  if (wx) return { kind: 'user', owner: `wechat:${wx[1]}` }
  const history = HISTORY_KEY.exec(key)
  if (history) return { kind: 'user', owner: history[1]! }
  return { kind: 'shared', shard: shardOf(key) }
}

/** The object a runExclusive key lives in: `user:<owner>` is the user's own object (the turn lock). */
export function lockHome(key: string): Home {
  return key.startsWith('user:') ? { kind: 'user', owner: key.slice(5) } : { kind: 'shared', shard: shardOf(key) }
}

/** FNV-1a over UTF-16 units: the same key always lands in the same shared object. */
function shardOf(key: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return `kv-${(h >>> 0) % SHARED_SHARDS}`
}
