import { wechatSignature, type MessageCrypto } from './crypto.js'
import { encryptedReplyXml, textReplyXml } from './xml.js'

export interface ReplyOptions {
  token: string
  crypto?: MessageCrypto
  /** Epoch ms. */
  now: number
}

/**
 * Step 5: a passive text reply (users swapped, CreateTime in seconds), encrypted and signed over its own
 * timestamp and nonce when the request came encrypted, with the key that opened the request.
 */
export function encodeReply(
  content: string,
  to: { user: string; account: string; encrypted: boolean; usedPreviousKey: boolean },
  { token, crypto, now }: ReplyOptions,
): string {
  const seconds = Math.floor(now / 1000)
  const xml = textReplyXml({ toUser: to.user, fromUser: to.account, createTime: seconds, content })
  if (!to.encrypted || !crypto) return xml
  const ts = String(seconds)
  const nonce = Math.random().toString(36).slice(2, 12)
  const encrypt = crypto.encrypt(xml, undefined, { usePreviousKey: to.usedPreviousKey })
  return encryptedReplyXml({ encrypt, signature: wechatSignature(token, ts, nonce, encrypt), timestamp: ts, nonce })
}
