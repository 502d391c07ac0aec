/**
 * WeChat's XML envelope: parse the flat `<xml><Field><![CDATA[..]]></Field>…</xml>` messages and
 * build passive replies. Runs on Node and Cloudflare Workers (fast-xml-parser is pure JS).
 *
 * Security: bodies containing `<!DOCTYPE` / `<!ENTITY` are refused before parsing and the parser
 * runs with entity processing OFF (no XXE, no billion laughs). Only the five predefined XML
 * entities and numeric character references are decoded, by hand, in non-CDATA text.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'

export class WeChatXmlError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WeChatXmlError'
  }
}

const CDATA_KEY = '__cdata'
const TEXT_KEY = '#text'

const parser = new XMLParser({
  preserveOrder: true, // keeps text and CDATA sections in document order
  processEntities: false, // no entity expansion of any kind
  htmlEntities: false,
  parseTagValue: false, // MsgId / CreateTime stay strings: 19-digit MsgIds keep every digit
  parseAttributeValue: false,
  ignoreAttributes: true,
  trimValues: false, // we decide about whitespace ourselves (CDATA content is verbatim)
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  cdataPropName: CDATA_KEY,
  maxNestedTags: 20,
})

type OrderedNode = Record<string, unknown>

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  )
}

/** Decodes predefined entities and character references; anything else is malformed. */
function decodeText(s: string): string {
  if (!s.includes('&')) return s
  return s.replace(/&([^;&\s]{0,32});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new WeChatXmlError('malformed XML: bare "&" in text')
    const named = PREDEFINED[name]
    if (named !== undefined) return named
    let cp = NaN
    if (/^#x[0-9a-fA-F]{1,6}$/.test(name)) cp = parseInt(name.slice(2), 16)
    else if (/^#[0-9]{1,7}$/.test(name)) cp = parseInt(name.slice(1), 10)
    if (Number.isNaN(cp)) throw new WeChatXmlError(`malformed XML: unknown entity "&${name};"`)
    if (!isXmlChar(cp)) throw new WeChatXmlError('malformed XML: invalid character reference')
    return String.fromCodePoint(cp)
  })
}

function childName(node: OrderedNode): string | undefined {
  for (const k of Object.keys(node)) if (k !== ':@') return k
  return undefined
}

function cdataText(node: OrderedNode): string {
  const inner = node[CDATA_KEY]
  if (!Array.isArray(inner)) return ''
  let out = ''
  for (const n of inner as OrderedNode[]) {
    const t = n[TEXT_KEY]
    if (typeof t === 'string') out += t
  }
  return out
}

/**
 * Collects leaf values. Leaves are stored by name; nested elements (e.g. ScanCodeInfo) are
 * flattened with a dot path ("ScanCodeInfo.ScanResult"). The first occurrence of a name wins.
 */
function collect(children: OrderedNode[], prefix: string, out: Record<string, string>): void {
  for (const node of children) {
    const name = childName(node)
    if (name === undefined || name === TEXT_KEY || name === CDATA_KEY) continue
    const kids = node[name]
    const list = Array.isArray(kids) ? (kids as OrderedNode[]) : []
    if (name === '__proto__') continue // never let a tag name touch the record's prototype
    const key = prefix + name
    const hasElement = list.some((k) => {
      const n = childName(k)
      return n !== undefined && n !== TEXT_KEY && n !== CDATA_KEY
    })
    if (hasElement) {
      collect(list, key + '.', out)
      continue
    }
    if (Object.prototype.hasOwnProperty.call(out, key)) continue
    const parts: Array<{ cdata: boolean; text: string }> = []
    for (const k of list) {
      if (k[CDATA_KEY] !== undefined) parts.push({ cdata: true, text: cdataText(k) })
      else if (typeof k[TEXT_KEY] === 'string') parts.push({ cdata: false, text: k[TEXT_KEY] as string })
    }
    const hasCdata = parts.some((p) => p.cdata)
    let value = ''
    for (const p of parts) {
      if (p.cdata) value += p.text
      // Formatting whitespace around CDATA sections is not content; plain text is trimmed.
      else if (!hasCdata || p.text.trim() !== '') value += decodeText(hasCdata ? p.text : p.text.trim())
    }
    out[key] = value
  }
}

/**
 * Parses a WeChat XML body into a flat record of element text (CDATA unwrapped, numbers kept as
 * strings). Throws WeChatXmlError on DOCTYPE/ENTITY, malformed XML, or a root other than <xml>.
 */
// The shape WeChat's servers actually send: <xml> with flat children, each a CDATA section or plain text
// without markup or entities. Checked by one anchored pattern; anything else takes the full parser.
const CANONICAL = /^\s*(?:<\?xml[^?>]*\?>\s*)?<xml>((?:\s*<([A-Za-z_][\w.-]{0,63})>(?:<!\[CDATA\[(?:(?!\]\]>)[\s\S])*\]\]>|[^<&]*)<\/\2>)*)\s*<\/xml>\s*$/
const CANONICAL_CHILD = /<([A-Za-z_][\w.-]{0,63})>(?:<!\[CDATA\[((?:(?!\]\]>)[\s\S])*)\]\]>|([^<&]*))<\/\1>/g

/** Fast path for the canonical shape (most messages); undefined sends the body to the full parser. */
function parseCanonical(body: string): Record<string, string> | undefined {
  const m = CANONICAL.exec(body)
  if (!m) return undefined
  const out: Record<string, string> = {}
  for (const c of m[1]!.matchAll(CANONICAL_CHILD)) {
    const name = c[1]!
    // Same rules as the full parser: the first of a repeated tag wins; text is trimmed, CDATA kept verbatim.
    if (name in out || name === '__proto__' || name === 'constructor' || name === 'prototype') return undefined
    const value = c[2] ?? c[3]!.trim()
    if (!isXmlString(value)) return undefined
    out[name] = value
  }
  return out
}

function isXmlString(s: string): boolean {
  for (const ch of s) if (!isXmlChar(ch.codePointAt(0)!)) return false
  return true
}

export function parseWeChatXml(body: string): Record<string, string> {
  if (typeof body !== 'string' || body.trim() === '') throw new WeChatXmlError('empty XML body')
  if (/<!\s*(?:DOCTYPE|ENTITY)/i.test(body)) {
    throw new WeChatXmlError('XML with DOCTYPE/ENTITY declarations is refused')
  }
  const flat = parseCanonical(body)
  if (flat) return flat
  const valid = XMLValidator.validate(body)
  if (valid !== true) throw new WeChatXmlError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`)

  let doc: unknown
  try {
    doc = parser.parse(body)
  } catch (err) {
    throw new WeChatXmlError(`malformed XML: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!Array.isArray(doc)) throw new WeChatXmlError('malformed XML')
  const roots = (doc as OrderedNode[]).filter((n) => {
    const name = childName(n)
    if (name === TEXT_KEY) {
      const t = n[TEXT_KEY]
      if (typeof t === 'string' && t.trim() !== '') throw new WeChatXmlError('malformed XML: text outside the root')
      return false
    }
    return name !== undefined
  })
  if (roots.length !== 1) throw new WeChatXmlError('XML must have exactly one root element')
  const root = roots[0]!
  if (childName(root) !== 'xml') throw new WeChatXmlError('XML root element must be <xml>')
  const children = root['xml']
  const out: Record<string, string> = {}
  if (Array.isArray(children)) collect(children as OrderedNode[], '', out)
  return out
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/** Characters not allowed in XML 1.0 (C0 controls except TAB/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Wraps text in CDATA; a `]]>` inside is split across two CDATA sections. */
export function cdata(text: string): string {
  const clean = text.replace(INVALID_XML_CHARS, '')
  return '<![CDATA[' + clean.split(']]>').join(']]]]><![CDATA[>') + ']]>'
}

function toSeconds(createTime: number): number {
  if (!Number.isFinite(createTime) || createTime < 0) throw new Error('createTime must be a non-negative number')
  // Seconds since the epoch; a millisecond value (≈1.7e12) is a caller bug.
  if (createTime > 1e11) throw new Error('createTime must be in seconds, not milliseconds')
  return Math.floor(createTime)
}

export interface TextReply {
  /** The user's OpenID (the incoming message's FromUserName). */
  toUser: string
  /** The account's original ID (the incoming message's ToUserName). */
  fromUser: string
  /** Seconds since the epoch. */
  createTime: number
  content: string
}

/** Passive text reply (被动回复文本消息). */
export function textReplyXml(r: TextReply): string {
  return (
    '<xml>' +
    `<ToUserName>${cdata(r.toUser)}</ToUserName>` +
    `<FromUserName>${cdata(r.fromUser)}</FromUserName>` +
    `<CreateTime>${toSeconds(r.createTime)}</CreateTime>` +
    `<MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(r.content)}</Content>` +
    '</xml>'
  )
}

export interface EncryptedReply {
  /** base64 ciphertext from MessageCrypto.encrypt */
  encrypt: string
  /** wechatSignature(token, timestamp, nonce, encrypt) over the reply's own timestamp/nonce */
  signature: string
  /** seconds, as a decimal string */
  timestamp: string
  nonce: string
}

/** Safe-mode reply envelope, same layout as the official WXBizMsgCrypt samples. */
export function encryptedReplyXml(r: EncryptedReply): string {
  if (!/^\d+$/.test(r.timestamp)) throw new Error('timestamp must be a decimal string of seconds')
  return (
    '<xml>' +
    `<Encrypt>${cdata(r.encrypt)}</Encrypt>` +
    `<MsgSignature>${cdata(r.signature)}</MsgSignature>` +
    `<TimeStamp>${r.timestamp}</TimeStamp>` +
    `<Nonce>${cdata(r.nonce)}</Nonce>` +
    '</xml>'
  )
}
