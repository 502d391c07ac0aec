import { HttpError } from '../../http/errors.js'
import { safeEqual, wechatSignature } from './crypto.js'

/** What a verified request's query says: the signed timestamp and nonce, the claimed sender, the mode. */
export interface SignedQuery {
  timestamp: string
  nonce: string
  /** The sender WeChat names in the URL; the message's FromUserName must be the same. */
  openid?: string
  /** encrypt_type=aes: safe or compatible mode, the body carries a signed Encrypt. */
  encrypted: boolean
  msgSignature?: string
}

export interface VerifyOptions {
  token: string
  /** Epoch ms. */
  now: number
  /** Requests whose timestamp is further off than this are replays. */
  maxSkewSeconds: number
}

/**
 * Step 1, before reading anything else: sorted token/timestamp/nonce, SHA-1, constant-time compare; then the
 * timestamp must be within the replay window. 400 when parameters are missing, 401 for a bad signature, 403 stale.
 */
export function verifyRequest(query: Record<string, string | undefined>, { token, now, maxSkewSeconds }: VerifyOptions): SignedQuery {
  const { signature, timestamp, nonce } = query
  if (!signature || !timestamp || !nonce) throw new HttpError(400, 'missing_signature', 'signature, timestamp and nonce are required')
  if (!safeEqual(wechatSignature(token, timestamp, nonce), signature)) throw new HttpError(401, 'bad_signature', 'signature does not match')
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > maxSkewSeconds) {
    throw new HttpError(403, 'stale_timestamp', 'timestamp too far from now')
  }
  return {
    timestamp,
    nonce,
    openid: query.openid || undefined,
    encrypted: query.encrypt_type === 'aes',
    msgSignature: query.msg_signature,
  }
}
