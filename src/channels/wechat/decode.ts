import { HttpError } from '../../http/errors.js'
import { safeEqual, wechatSignature, type MessageCrypto } from './crypto.js'
import type { SignedQuery } from './verify.js'
import { parseWeChatXml } from './xml.js'

/** A message WeChat is known to have sent: fields of the (decrypted) XML. */
export interface DecodedMessage {
  msg: Record<string, string> & { FromUserName: string; ToUserName: string; MsgType: string }
  /** It came encrypted, so the reply is encrypted too. */
  encrypted: boolean
  /** Only the previous EncodingAESKey opened it (key rotation): the reply uses that key as well. */
  usedPreviousKey: boolean
}

export interface DecodeOptions {
  token: string
  /** Set when an EncodingAESKey is configured: then only signed ciphertext is believed. */
  crypto?: MessageCrypto
}

/**
 * Step 2: the body as a message. In plain mode the signature does not cover the body, so with an EncodingAESKey
 * configured only signed ciphertext is accepted (compatible mode sends it too) and the plain fields next to it
 * are ignored. The sender must be the `openid` WeChat names in the URL.
 */
export function decodeMessage(body: string, q: SignedQuery, { token, crypto }: DecodeOptions): DecodedMessage {
  if (crypto && !q.encrypted) {
    throw new HttpError(401, 'encryption_required', 'this account uses safe mode: only encrypted, signed messages are accepted')
  }
  let msg = parse(body)
  let usedPreviousKey = false
  if (q.encrypted) {
    if (!crypto) throw new HttpError(400, 'aes_not_configured', 'safe mode needs WECHAT_ENCODING_AES_KEY')
    const encrypt = msg.Encrypt
    if (!encrypt) throw new HttpError(400, 'missing_encrypt', 'Encrypt element is required in safe mode')
    if (!safeEqual(wechatSignature(token, q.timestamp, q.nonce, encrypt), q.msgSignature ?? '')) {
      throw new HttpError(401, 'bad_msg_signature', 'msg_signature does not match')
    }
    let inner: { message: string; usedPreviousKey: boolean }
    try {
      inner = crypto.decryptDetailed(encrypt)
    } catch {
      throw new HttpError(400, 'bad_encrypt', 'Encrypt could not be decrypted')
    }
    // During a key rotation, answer with the key the request came with (WeChat's own rule).
    usedPreviousKey = inner.usedPreviousKey
    msg = parse(inner.message)
  }
  const { FromUserName: from, ToUserName: to, MsgType: type } = msg
  if (!from || !to || !type) throw new HttpError(400, 'bad_message', 'FromUserName, ToUserName and MsgType are required')
  if (q.openid !== undefined && q.openid !== from) throw new HttpError(403, 'sender_mismatch', 'FromUserName does not match openid')
  return { msg: { ...msg, FromUserName: from, ToUserName: to, MsgType: type }, encrypted: q.encrypted, usedPreviousKey }
}

function parse(body: string): Record<string, string> {
  try {
    return parseWeChatXml(body)
  } catch {
    throw new HttpError(400, 'bad_xml', 'body is not a WeChat XML message')
  }
}
