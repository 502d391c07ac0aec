import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import type { KvStore } from '../store/types.js'

/** A guarded model answer as cached: the text (without source lines) and what it cites. */
export interface CachedAnswer {
  text: string
  sources: string[]
}

export interface AnswerCache {
  get(key: string): Promise<CachedAnswer | undefined>
  set(key: string, answer: CachedAnswer): Promise<void>
}

/** Hex SHA-256 of the parts, joined with a separator no part contains. */
export function hashOf(...parts: readonly string[]): string {
  return bytesToHex(sha256(utf8ToBytes(parts.join('\u0000'))))
}

/**
 * Answers shared by every instance through the store's kv (Redis: tb:kv:llm:answer:<hash>). The key is made by the
 * caller from the normalised question, the section ids, the rule results, the language and the knowledge hash, so
 * an edit of the knowledge base (a new hash) leaves old answers unreachable until they expire.
 */
export function createAnswerCache(kv: KvStore, ttlSeconds: number): AnswerCache {
  const key = (k: string) => `llm:answer:${k}`
  return {
    get: async function getCachedAnswer(k) {
      if (ttlSeconds <= 0) return undefined
      const raw = await kv.get(key(k))
      if (!raw) return undefined
      try {
        const v = JSON.parse(raw) as CachedAnswer
        return typeof v.text === 'string' && Array.isArray(v.sources) ? v : undefined
      } catch {
        return undefined
      }
    },
    set: async function cacheAnswer(k, answer) {
      if (ttlSeconds > 0) await kv.set(key(k), JSON.stringify(answer), ttlSeconds)
    },
  }
}
