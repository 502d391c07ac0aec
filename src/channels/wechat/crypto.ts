/**
 * WeChat Official Account (公众号) message signature and "safe mode" (安全模式) encryption.
 *
 * Runs on Node and Cloudflare Workers: only Web APIs (TextEncoder/TextDecoder,
 * crypto.getRandomValues) and the pure-JS @noble libraries; no Buffer, no `node:` imports.
 *
 * Protocol (WeChat 消息加解密技术方案 / official WXBizMsgCrypt samples):
 *  - signature      = sha1(sort([token, timestamp, nonce]).join(''))             (URL check, plain POST)
 *  - msg_signature  = sha1(sort([token, timestamp, nonce, Encrypt]).join(''))    (safe mode)
 *  - AESKey         = Base64_Decode(EncodingAESKey + '='), 32 bytes; IV = AESKey[0..16)
 *  - msg_encrypt    = Base64_Encode(AES-256-CBC(PKCS#7-pad-to-32(random(16B) ‖ msg_len(4B, BE) ‖ msg ‖ appId)))
 *  - Keep the previous EncodingAESKey and try it when the current one fails (key rotation);
 *    per the spec the reply should be encrypted with whichever key decrypted the request.
 */
import { cbc } from '@noble/ciphers/aes.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { bytesToHex } from '@noble/hashes/utils.js'

export class WeChatCryptoError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WeChatCryptoError'
  }
}

const encoder = new TextEncoder()
/** fatal: invalid UTF-8 in a decrypted payload is an error, not U+FFFD. */
const strictDecoder = new TextDecoder('utf-8', { fatal: true })

/** WeChat pads to a multiple of 32 bytes (K = 32 in the spec), not the AES block size. */
const PAD_BLOCK = 32
const RANDOM_LEN = 16
const LEN_FIELD = 4

export function sha1Hex(s: string): string {
  return bytesToHex(sha1(encoder.encode(s)))
}

/**
 * WeChat signature: hex SHA-1 of the parameters sorted lexicographically (plain string sort,
 * as the official samples do) and concatenated with nothing.
 * Without `encrypt` this is the URL-check / plain-POST `signature`; with it, `msg_signature`.
 */
export function wechatSignature(token: string, timestamp: string, nonce: string, encrypt?: string): string {
  const parts = encrypt === undefined ? [token, timestamp, nonce] : [token, timestamp, nonce, encrypt]
  // Default Array#sort compares UTF-16 code units, which equals byte order for the ASCII values WeChat uses.
  parts.sort()
  return sha1Hex(parts.join(''))
}

/**
 * Constant-time string comparison (no early exit). A length mismatch still walks the longer
 * string and returns false.
 */
export function safeEqual(a: string, b: string): boolean {
  const len = Math.max(a.length, b.length)
  let diff = a.length ^ b.length
  for (let i = 0; i < len; i++) {
    // charCodeAt past the end yields NaN, which `| 0` turns into 0.
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  }
  return diff === 0
}

// ---------------------------------------------------------------------------------------------
// Base64 (standard alphabet, with padding). Own implementation: no Buffer, and stricter than atob.
// ---------------------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64_LOOKUP = (() => {
  const t = new Int16Array(128).fill(-1)
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i
  return t
})()

export function base64Encode(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = bytes[i]! << 16
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + '=='
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '='
  }
  return out
}

/**
 * Strict base64 decode: length a multiple of 4, only the standard alphabet, at most two '='
 * and only at the end. Returns null on malformed input. (Unused low bits of the last symbol are
 * ignored, as every decoder does — WeChat's own sample key "…ABCDEFG" relies on that.)
 */
export function base64Decode(s: string): Uint8Array | null {
  if (s.length === 0 || s.length % 4 !== 0) return null
  let pad = 0
  if (s.endsWith('==')) pad = 2
  else if (s.endsWith('=')) pad = 1
  const dataLen = s.length - pad
  const out = new Uint8Array((s.length / 4) * 3 - pad)
  let acc = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < dataLen; i++) {
    const c = s.charCodeAt(i)
    const v = c < 128 ? B64_LOOKUP[c]! : -1
    if (v < 0) return null
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  return o === out.length ? out : null
}

// ---------------------------------------------------------------------------------------------
// Message crypto
// ---------------------------------------------------------------------------------------------

export interface MessageCryptoOptions {
  appId: string
  /** 43-character EncodingAESKey from the 公众号 admin console. */
  encodingAesKey: string
  /** The previous EncodingAESKey, tried when the current key fails (rotation window). */
  previousEncodingAesKey?: string
}

export interface DecryptResult {
  /** The decrypted message (usually the plain XML). */
  message: string
  /** True when only the previous EncodingAESKey could decrypt it. */
  usedPreviousKey: boolean
}

export interface EncryptOptions {
  /** Encrypt with the previous key (reply to a request that only the previous key could open). */
  usePreviousKey?: boolean
}

export interface MessageCrypto {
  /** Decrypts a base64 `Encrypt` value; throws WeChatCryptoError on any failure. */
  decrypt(encryptB64: string): string
  /** Like decrypt, but also tells which key worked (so the reply can use the same key). */
  decryptDetailed(encryptB64: string): DecryptResult
  /** Encrypts `xml` into a base64 `Encrypt` value. `random16` is for tests only. */
  encrypt(xml: string, random16?: Uint8Array, opts?: EncryptOptions): string
}

interface AesKey {
  key: Uint8Array
  iv: Uint8Array
}

function deriveKey(encodingAesKey: string, label: string): AesKey {
  if (typeof encodingAesKey !== 'string' || encodingAesKey.length !== 43) {
    throw new Error(
      `WeChat ${label} must be 43 characters (got ${typeof encodingAesKey === 'string' ? encodingAesKey.length : typeof encodingAesKey})`,
    )
  }
  const key = base64Decode(encodingAesKey + '=')
  if (!key || key.length !== 32) {
    throw new Error(`WeChat ${label} is not valid base64 for a 32-byte AES key`)
  }
  return { key, iv: key.slice(0, 16) }
}

function pkcs7Pad(data: Uint8Array): Uint8Array {
  const n = PAD_BLOCK - (data.length % PAD_BLOCK) // 1..32: a full block of 32 when already aligned
  const out = new Uint8Array(data.length + n)
  out.set(data)
  out.fill(n, data.length)
  return out
}

/** Returns the unpadded length, or -1 if the padding is invalid. Checks every pad byte. */
function pkcs7UnpadLength(data: Uint8Array): number {
  const n = data[data.length - 1]!
  if (n < 1 || n > PAD_BLOCK || n > data.length) return -1
  let bad = 0
  for (let i = data.length - n; i < data.length; i++) bad |= data[i]! ^ n
  return bad === 0 ? data.length - n : -1
}

function encryptWith(k: AesKey, appId: string, xml: string, random16?: Uint8Array): string {
  let random: Uint8Array
  if (random16 !== undefined) {
    if (random16.length !== RANDOM_LEN) throw new Error('random16 must be exactly 16 bytes')
    random = random16
  } else {
    random = new Uint8Array(RANDOM_LEN)
    crypto.getRandomValues(random)
  }
  const msg = encoder.encode(xml)
  const id = encoder.encode(appId)
  const plain = new Uint8Array(RANDOM_LEN + LEN_FIELD + msg.length + id.length)
  plain.set(random, 0)
  new DataView(plain.buffer).setUint32(RANDOM_LEN, msg.length, false) // big-endian (network order)
  plain.set(msg, RANDOM_LEN + LEN_FIELD)
  plain.set(id, RANDOM_LEN + LEN_FIELD + msg.length)
  const ct = cbc(k.key, k.iv, { disablePadding: true }).encrypt(pkcs7Pad(plain))
  return base64Encode(ct)
}

function decryptWith(k: AesKey, appId: string, ct: Uint8Array): string {
  let plain: Uint8Array
  try {
    plain = cbc(k.key, k.iv, { disablePadding: true }).decrypt(ct)
  } catch {
    throw new WeChatCryptoError('AES decryption failed')
  }
  const end = pkcs7UnpadLength(plain)
  if (end < 0) throw new WeChatCryptoError('invalid PKCS#7 padding')
  if (end < RANDOM_LEN + LEN_FIELD) throw new WeChatCryptoError('decrypted payload too short')
  const msgLen = new DataView(plain.buffer, plain.byteOffset, plain.byteLength).getUint32(RANDOM_LEN, false)
  const msgStart = RANDOM_LEN + LEN_FIELD
  if (msgLen > end - msgStart) throw new WeChatCryptoError('message length field overruns the payload')
  let message: string
  let fromAppId: string
  try {
    message = strictDecoder.decode(plain.subarray(msgStart, msgStart + msgLen))
    fromAppId = strictDecoder.decode(plain.subarray(msgStart + msgLen, end))
  } catch {
    throw new WeChatCryptoError('decrypted payload is not valid UTF-8')
  }
  if (fromAppId !== appId) throw new WeChatCryptoError('appId mismatch')
  return message
}

export function createMessageCrypto(opts: MessageCryptoOptions): MessageCrypto {
  const { appId } = opts
  if (!appId) throw new Error('WeChat appId is required')
  const current = deriveKey(opts.encodingAesKey, 'EncodingAESKey')
  const previous = opts.previousEncodingAesKey
    ? deriveKey(opts.previousEncodingAesKey, 'previous EncodingAESKey')
    : undefined

  function decryptDetailed(encryptB64: string): DecryptResult {
    if (typeof encryptB64 !== 'string') throw new WeChatCryptoError('Encrypt must be a string')
    const ct = base64Decode(encryptB64.trim())
    if (!ct) throw new WeChatCryptoError('Encrypt is not valid base64')
    // Always ≥ one 32-byte padded block, and whole AES blocks.
    if (ct.length < PAD_BLOCK || ct.length % 16 !== 0) {
      throw new WeChatCryptoError('ciphertext length is not a multiple of the block size')
    }
    try {
      return { message: decryptWith(current, appId, ct), usedPreviousKey: false }
    } catch (err) {
      if (!previous) throw err
    }
    // A WeChatCryptoError from the previous key is the final answer.
    return { message: decryptWith(previous, appId, ct), usedPreviousKey: true }
  }

  return {
    decrypt: (encryptB64) => decryptDetailed(encryptB64).message,
    decryptDetailed,
    encrypt(xml, random16, encOpts) {
      const k = encOpts?.usePreviousKey && previous ? previous : current
      return encryptWith(k, appId, xml, random16)
    },
  }
}
