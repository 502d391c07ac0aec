import { createCipheriv, createDecipheriv, createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  base64Decode,
  base64Encode,
  createMessageCrypto,
  safeEqual,
  sha1Hex,
  wechatSignature,
  WeChatCryptoError,
} from '../../src/channels/wechat/crypto.js'

// ---------------------------------------------------------------------------------------------
// Published vectors from WeChat's official WXBizMsgCrypt sample code (公众平台 消息加解密 示例代码),
// copied verbatim. Each was also cross-checked against the independent `wechat-crypto` package.
// ---------------------------------------------------------------------------------------------

/** Java sample WXBizMsgCryptTest: testAesEncrypt / testAesEncrypt2 (fixed randomStr). */
const JAVA = {
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  token: 'pamtest',
  timestamp: '1409304348',
  nonce: 'xxxxxx',
  appId: 'wxb11529c136998cb6',
  randomStr: 'aaaabbbbccccdddd',
  replyMsg: '我是中文abcd123',
  afterAesEncrypt: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
  replyMsg2:
    '<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>',
  afterAesEncrypt2:
    'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb',
}

/** Python sample Sample.py: decrypt test (msg_signature + Encrypt from a real push). */
const PY = {
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  token: 'spamtest',
  appId: 'wx2c2769f8efd9abc2',
  timestamp: '1409735669',
  nonce: '1320562132',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
  plain:
    '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>',
}

/** Java sample WXBizMsgCryptTest.testVerifyUrl (echostr is encrypted in that flow). */
const VERIFY_URL = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  appId: 'wx5823bf96d3bd56c7',
  msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  plain: '1616140317555161061',
}

/** 第三方平台 docs, 消息加解密 worked example (EncodingAESKey = 43 × 'A', i.e. an all-zero key). */
const OPEN_PLATFORM = {
  token: 'AAAAA',
  encodingAesKey: 'A'.repeat(43),
  appId: 'wx134c8103faa5a59e',
  replyMsg: '<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>',
  random: '999951349e8ee746',
  replyEncrypt:
    'hE8R6mGXHkJJjU72KxzKUd1GEkKJaEZq7vRL8XgK3o+00k8JGq6+pZJUIlTSyhsX+bxIBQ72g3GyvDdIZcr6+3HAZbSvPT9t/o11MI7d6WELwqrGd7jMnV0zv3Zc9Nq7',
  replyTimestamp: '1713424427',
  replyNonce: '415670741',
  replySignature: '03e0812039325c2712ef5f0f980fd14c70d6e307',
}

const ascii = (s: string) => new TextEncoder().encode(s)

// ---------------------------------------------------------------------------------------------
// Independent reference implementation with node:crypto (test-only).
// ---------------------------------------------------------------------------------------------

function nodeKey(encodingAesKey: string): Buffer {
  return Buffer.from(encodingAesKey + '=', 'base64')
}

function nodeEncrypt(encodingAesKey: string, appId: string, msg: string, random: Uint8Array): string {
  const key = nodeKey(encodingAesKey)
  const body = Buffer.from(msg, 'utf8')
  const len = Buffer.alloc(4)
  len.writeUInt32BE(body.length)
  let plain = Buffer.concat([Buffer.from(random), len, body, Buffer.from(appId, 'utf8')])
  const pad = 32 - (plain.length % 32)
  plain = Buffer.concat([plain, Buffer.alloc(pad, pad)])
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64')
}

/** Raw AES-CBC over an already-padded buffer (for crafting invalid payloads). */
function nodeEncryptRaw(encodingAesKey: string, plain: Buffer): string {
  const key = nodeKey(encodingAesKey)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64')
}

function nodeDecryptRaw(encodingAesKey: string, b64: string): Buffer {
  const key = nodeKey(encodingAesKey)
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
  d.setAutoPadding(false)
  return Buffer.concat([d.update(Buffer.from(b64, 'base64')), d.final()])
}

function nodeSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex')
}

function framed(random: Buffer, msg: string, appId: string): Buffer {
  const body = Buffer.from(msg)
  const len = Buffer.alloc(4)
  len.writeUInt32BE(body.length)
  return Buffer.concat([random, len, body, Buffer.from(appId)])
}

const KEY_NEW = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR'
const KEY_OLD = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const APP = 'wx1234567890abcdef'

describe('signatures', () => {
  it('sha1Hex matches node:crypto, including non-ASCII input', () => {
    for (const s of ['', 'abc', '中文签名🙂', 'x'.repeat(1000)]) {
      expect(sha1Hex(s)).toBe(createHash('sha1').update(s, 'utf8').digest('hex'))
    }
  })

  it('URL-check signature: sha1 of sorted token/timestamp/nonce (node:crypto reference)', () => {
    expect(wechatSignature(JAVA.token, JAVA.timestamp, JAVA.nonce)).toBe(nodeSignature(JAVA.token, JAVA.timestamp, JAVA.nonce))
    // Sorting is lexicographic on strings, not numeric: "10" < "9".
    expect(wechatSignature('tok', '9', '10')).toBe(createHash('sha1').update('109tok').digest('hex'))
    expect(wechatSignature('tok', '9', '10')).not.toBe(createHash('sha1').update('910tok').digest('hex'))
  })

  it('msg_signature of the official Python sample', () => {
    expect(wechatSignature(PY.token, PY.timestamp, PY.nonce, PY.encrypt)).toBe(PY.msgSignature)
    expect(nodeSignature(PY.token, PY.timestamp, PY.nonce, PY.encrypt)).toBe(PY.msgSignature)
  })

  it('msg_signature of the official VerifyURL sample and the open-platform reply example', () => {
    expect(wechatSignature(VERIFY_URL.token, VERIFY_URL.timestamp, VERIFY_URL.nonce, VERIFY_URL.echostr)).toBe(VERIFY_URL.msgSignature)
    expect(
      wechatSignature(OPEN_PLATFORM.token, OPEN_PLATFORM.replyTimestamp, OPEN_PLATFORM.replyNonce, OPEN_PLATFORM.replyEncrypt),
    ).toBe(OPEN_PLATFORM.replySignature)
  })

  it('safeEqual', () => {
    expect(safeEqual(PY.msgSignature, PY.msgSignature)).toBe(true)
    expect(safeEqual(PY.msgSignature, PY.msgSignature.replace(/.$/, '0'))).toBe(false)
    expect(safeEqual(PY.msgSignature, PY.msgSignature.slice(0, -1))).toBe(false)
    expect(safeEqual('', '')).toBe(true)
    expect(safeEqual('', 'a')).toBe(false)
    expect(safeEqual('a', '')).toBe(false)
    expect(safeEqual('abc', 'abc\u0000')).toBe(false)
  })
})

describe('base64', () => {
  it('round-trips and matches Buffer', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff)
      const b64 = base64Encode(bytes)
      expect(b64).toBe(Buffer.from(bytes).toString('base64'))
      if (n > 0) expect(Buffer.from(base64Decode(b64)!)).toEqual(Buffer.from(bytes))
    }
  })

  it('rejects malformed input', () => {
    for (const bad of ['', 'abc', 'ab=c', 'a===', 'ab!d', '中文中文', 'YWJj\n', '=AAA']) {
      expect(base64Decode(bad), bad).toBeNull()
    }
  })
})

describe('message crypto: official known-answer vectors', () => {
  it('Java sample: encrypt with randomStr "aaaabbbbccccdddd" gives the published ciphertext', () => {
    const c = createMessageCrypto({ appId: JAVA.appId, encodingAesKey: JAVA.encodingAesKey })
    expect(c.encrypt(JAVA.replyMsg, ascii(JAVA.randomStr))).toBe(JAVA.afterAesEncrypt)
    expect(c.encrypt(JAVA.replyMsg2, ascii(JAVA.randomStr))).toBe(JAVA.afterAesEncrypt2)
    expect(c.decrypt(JAVA.afterAesEncrypt)).toBe(JAVA.replyMsg)
    expect(c.decrypt(JAVA.afterAesEncrypt2)).toBe(JAVA.replyMsg2)
  })

  it('Python sample: decrypts the published Encrypt value exactly (newlines kept)', () => {
    const c = createMessageCrypto({ appId: PY.appId, encodingAesKey: PY.encodingAesKey })
    expect(c.decrypt(PY.encrypt)).toBe(PY.plain)
  })

  it('Java sample VerifyURL: decrypts the encrypted echostr', () => {
    const c = createMessageCrypto({ appId: VERIFY_URL.appId, encodingAesKey: VERIFY_URL.encodingAesKey })
    expect(c.decrypt(VERIFY_URL.echostr)).toBe(VERIFY_URL.plain)
  })

  it('open-platform docs example: all-zero key, fixed random, published reply ciphertext', () => {
    const c = createMessageCrypto({ appId: OPEN_PLATFORM.appId, encodingAesKey: OPEN_PLATFORM.encodingAesKey })
    expect(c.encrypt(OPEN_PLATFORM.replyMsg, ascii(OPEN_PLATFORM.random))).toBe(OPEN_PLATFORM.replyEncrypt)
    expect(c.decrypt(OPEN_PLATFORM.replyEncrypt)).toBe(OPEN_PLATFORM.replyMsg)
  })
})

describe('message crypto vs node:crypto', () => {
  const c = createMessageCrypto({ appId: APP, encodingAesKey: KEY_NEW })

  it('encrypt with a fixed random16 equals node:crypto byte for byte, at every padding length', () => {
    const random = Uint8Array.from({ length: 16 }, (_, i) => 200 - i)
    for (let n = 0; n <= 70; n++) {
      const msg = '统'.repeat(n % 5) + 'x'.repeat(n)
      const ours = c.encrypt(msg, random)
      expect(ours).toBe(nodeEncrypt(KEY_NEW, APP, msg, random))
      // Padding is to a multiple of 32 bytes (a full extra 32-byte block when already aligned).
      const raw = nodeDecryptRaw(KEY_NEW, ours)
      expect(raw.length % 32).toBe(0)
      const pad = raw[raw.length - 1]!
      expect(pad).toBeGreaterThanOrEqual(1)
      expect(pad).toBeLessThanOrEqual(32)
      expect(raw.length - pad).toBe(16 + 4 + Buffer.byteLength(msg) + APP.length)
      expect(c.decrypt(ours)).toBe(msg)
    }
  })

  it('decrypts node:crypto ciphertexts with emoji and CJK', () => {
    const msg = '<xml><Content><![CDATA[出口信用保险 🙂 https://example.com/a?b=1]]></Content></xml>'
    const ct = nodeEncrypt(KEY_NEW, APP, msg, new Uint8Array(16).fill(7))
    expect(c.decrypt(ct)).toBe(msg)
  })

  it('uses fresh random bytes when random16 is omitted', () => {
    const a = c.encrypt('hello')
    const b = c.encrypt('hello')
    expect(a).not.toBe(b)
    expect(c.decrypt(a)).toBe('hello')
    expect(nodeDecryptRaw(KEY_NEW, a).subarray(0, 16)).not.toEqual(nodeDecryptRaw(KEY_NEW, b).subarray(0, 16))
  })

  it('rejects a random16 of the wrong size', () => {
    expect(() => c.encrypt('x', new Uint8Array(15))).toThrow(/16 bytes/)
  })
})

describe('key rotation', () => {
  const oldOnly = createMessageCrypto({ appId: APP, encodingAesKey: KEY_OLD })
  const msg = '<xml><Content><![CDATA[旧密钥加密]]></Content></xml>'
  const fromOld = oldOnly.encrypt(msg)

  it('decrypts a message encrypted with the previous key when it is configured', () => {
    const rotated = createMessageCrypto({ appId: APP, encodingAesKey: KEY_NEW, previousEncodingAesKey: KEY_OLD })
    expect(rotated.decrypt(fromOld)).toBe(msg)
    expect(rotated.decryptDetailed(fromOld)).toEqual({ message: msg, usedPreviousKey: true })
    const fromNew = rotated.encrypt(msg)
    expect(rotated.decryptDetailed(fromNew)).toEqual({ message: msg, usedPreviousKey: false })
    // The reply can be encrypted with the key that opened the request.
    expect(oldOnly.decrypt(rotated.encrypt(msg, undefined, { usePreviousKey: true }))).toBe(msg)
  })

  it('fails without the previous key', () => {
    const current = createMessageCrypto({ appId: APP, encodingAesKey: KEY_NEW })
    expect(() => current.decrypt(fromOld)).toThrow(WeChatCryptoError)
  })
})

describe('rejections', () => {
  const c = createMessageCrypto({ appId: APP, encodingAesKey: KEY_NEW })
  const random = Buffer.alloc(16, 0x41)

  it('wrong appId', () => {
    const other = createMessageCrypto({ appId: 'wxffffffffffffffff', encodingAesKey: KEY_NEW })
    expect(() => c.decrypt(other.encrypt('hi'))).toThrow(/appId/)
    // Prefix / suffix of the right appId is not enough.
    const prefix = createMessageCrypto({ appId: APP.slice(0, -1), encodingAesKey: KEY_NEW })
    expect(() => c.decrypt(prefix.encrypt('hi'))).toThrow(WeChatCryptoError)
    // The official sample's ciphertext under a different appId.
    const java = createMessageCrypto({ appId: 'wx0000000000000000', encodingAesKey: JAVA.encodingAesKey })
    expect(() => java.decrypt(JAVA.afterAesEncrypt)).toThrow(WeChatCryptoError)
  })

  it('tampered padding', () => {
    const plain = framed(random, 'hello', APP) // 16+4+5+18 = 43 bytes → 21 bytes of 0x15
    const padLen = 32 - (plain.length % 32)
    const good = Buffer.concat([plain, Buffer.alloc(padLen, padLen)])
    expect(c.decrypt(nodeEncryptRaw(KEY_NEW, good))).toBe('hello')

    const unequal = Buffer.from(good)
    unequal[unequal.length - 2] = 0x14 // pad bytes differ
    expect(() => c.decrypt(nodeEncryptRaw(KEY_NEW, unequal))).toThrow(/padding/)

    const zero = Buffer.from(good)
    zero[zero.length - 1] = 0 // pad byte 0
    expect(() => c.decrypt(nodeEncryptRaw(KEY_NEW, zero))).toThrow(/padding/)

    const tooBig = Buffer.concat([plain, Buffer.alloc(padLen, 33)]) // pad byte > 32
    expect(() => c.decrypt(nodeEncryptRaw(KEY_NEW, tooBig))).toThrow(/padding/)

    // Flipping a ciphertext bit in the second-to-last block garbles the last block's padding.
    const ct = Buffer.from(c.encrypt('hello', random), 'base64')
    ct[ct.length - 17] = ct[ct.length - 17]! ^ 0x01
    expect(() => c.decrypt(ct.toString('base64'))).toThrow(WeChatCryptoError)
  })

  it('a length field that overruns the payload', () => {
    const plain = framed(random, 'hello', APP)
    plain.writeUInt32BE(1000, 16)
    const padLen = 32 - (plain.length % 32)
    expect(() => c.decrypt(nodeEncryptRaw(KEY_NEW, Buffer.concat([plain, Buffer.alloc(padLen, padLen)])))).toThrow(/length/)
    plain.writeUInt32BE(0xffffffff, 16)
    expect(() => c.decrypt(nodeEncryptRaw(KEY_NEW, Buffer.concat([plain, Buffer.alloc(padLen, padLen)])))).toThrow(/length/)
  })

  it('bad base64 and bad ciphertext lengths', () => {
    for (const bad of ['', 'not base64!!', 'YWJj', 'AAAAAAAAAAAAAAAAAAAAAA==', PY.encrypt.slice(0, -4), '%%%%']) {
      expect(() => c.decrypt(bad), bad).toThrow(WeChatCryptoError)
    }
  })

  it('bad EncodingAESKey is rejected at creation', () => {
    expect(() => createMessageCrypto({ appId: APP, encodingAesKey: 'abcde' })).toThrow(/43 characters/)
    expect(() => createMessageCrypto({ appId: APP, encodingAesKey: KEY_NEW + 'A' })).toThrow(/43 characters/)
    expect(() => createMessageCrypto({ appId: APP, encodingAesKey: KEY_NEW.slice(0, 42) + '!' })).toThrow(/32-byte/)
    expect(() => createMessageCrypto({ appId: APP, encodingAesKey: KEY_NEW, previousEncodingAesKey: 'short' })).toThrow(
      /previous EncodingAESKey/,
    )
  })
})
