/**
 * Redis keys for one prefix. A key is bytes: ioredis writes a string as UTF-8, which turns every lone surrogate
 * ("\ud800", "\udc00") into U+FFFD, so those user ids would share one session and one report list. Keys made of
 * ill-formed UTF-16 are written as WTF-8 instead: a well-formed key is the same bytes as before, and a lone
 * surrogate becomes a 3-byte sequence no UTF-8 text contains — distinct ids stay distinct, as in the file store.
 */
export type RedisKey = string | Buffer

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** True when s has no lone surrogate (String.prototype.isWellFormed, which the ES2023 typings lack). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s)
}

/** s as key bytes: itself when well-formed, else its WTF-8 encoding. */
export function keyOf(s: string): RedisKey {
  if (isWellFormed(s)) return s
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!
    if (cp > 0xffff) i++ // a proper pair, read as one code point
    if (cp < 0x80) out.push(cp)
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f))
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
  }
  return Buffer.from(out)
}

/** Every key the Redis store uses (see the table at the top of redis-store.ts). */
export function redisKeys(prefix: string) {
  const k = (s: string) => keyOf(prefix + s)
  return {
    session: (userId: string) => k(`session:{${userId}}`),
    turnLock: (userId: string) => k(`lock:turn:{${userId}}`),
    kv: (key: string) => k(`kv:${key}`),
    /** Report ids are BS…, never anything else; the create script builds this key from the prefix too. */
    reportPrefix: `${prefix}report:`,
    report: (id: string) => k(`report:${id}`),
    submission: (key: string) => k(`submission:${key}`),
    byUser: (userId: string) => k(`reports:user:${userId}`),
    byDistrict: (district: string) => k(`reports:district:${district}`),
    recent: `${prefix}reports:all`,
    seq: (day: string) => `${prefix}seq:${day}`,
    /** The identity script builds seq keys from this prefix (the wiped day's floor). */
    seqPrefix: `${prefix}seq:`,
    identity: `${prefix}store:identity`,
    outboxItems: `${prefix}outbox:items`,
    outboxDue: `${prefix}outbox:due`,
    roster: `${prefix}roster`,
    rosterTmp: (id: string) => `${prefix}roster:tmp:${id}`,
    lock: (key: string) => k(`lock:${key}`),
    staff: `${prefix}staff`,
    audit: `${prefix}audit`,
    /** Handoff ids are hex the store's caller draws; the open script builds this key from the prefix too. */
    handoffPrefix: `${prefix}handoff:`,
    handoff: (id: string) => k(`handoff:${id}`),
    handoffsOpen: `${prefix}handoffs:open`,
    handoffsClosed: `${prefix}handoffs:closed`,
    handoffOwners: `${prefix}handoffs:owners`,
    unanswered: `${prefix}unanswered`,
    unansweredAt: `${prefix}unanswered:at`,
  }
}
