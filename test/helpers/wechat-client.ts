import { createHash, randomBytes } from 'node:crypto'
import type { Hono } from 'hono'

export const TOKEN = 'tongbao-test-token'
export const APP_ID = 'wx1234567890abcdef'
export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
export const OLD_AES_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj'
export const ACCOUNT = 'gh_0123456789ab'

/** SHA-1 of the sorted parts, computed here independently of the code under test. */
export function sign(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex')
}

/** WeChat's message XML, CDATA for strings, as WeChat's servers send it. */
export function messageXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`))
    .join('')
  return `<xml>${body}</xml>`
}

export function textMessage(from: string, content: string, msgId: string, createTime = Math.floor(Date.now() / 1000)): string {
  return messageXml({ ToUserName: ACCOUNT, FromUserName: from, CreateTime: createTime, MsgType: 'text', Content: content, MsgId: msgId })
}

export function eventMessage(from: string, event: string, extra: Record<string, string> = {}, createTime = Math.floor(Date.now() / 1000)): string {
  return messageXml({ ToUserName: ACCOUNT, FromUserName: from, CreateTime: createTime, MsgType: 'event', Event: event, ...extra })
}

export interface PostOptions {
  timestamp?: string
  nonce?: string
  badSignature?: boolean
  /** The openid query parameter; by default the message's own FromUserName, as WeChat sends it. */
  openid?: string | null
}

/** The openid WeChat puts in the URL: the sender, read from the plain XML when the test does not say. */
function openidFor(o: PostOptions, xml: string | undefined): string | undefined {
  if (o.openid !== undefined) return o.openid ?? undefined
  return xml ? tag(xml, 'FromUserName') : undefined
}

function query(fields: Record<string, string | undefined>): URLSearchParams {
  return new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined))
}

/** POST /wechat in plain mode, signed like WeChat signs it. */
export function postPlain(app: Hono, xml: string, o: PostOptions = {}): Promise<Response> {
  const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000))
  const nonce = o.nonce ?? randomBytes(5).toString('hex')
  const signature = o.badSignature ? sign('x', timestamp, nonce) : sign(TOKEN, timestamp, nonce)
  const q = query({ signature, timestamp, nonce, openid: openidFor(o, xml) })
  return Promise.resolve(app.request(`/wechat?${q}`, { method: 'POST', body: xml, headers: { 'content-type': 'text/xml' } }))
}

/**
 * POST /wechat in safe mode (or compatible mode with the plain fields kept): `encrypt` is the Encrypt value.
 * `o.openid` should name the sender (the plain XML's FromUserName); without it no openid is sent.
 */
export function postEncrypted(app: Hono, encrypt: string, o: PostOptions & { compatibleXml?: string; badMsgSignature?: boolean } = {}): Promise<Response> {
  const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000))
  const nonce = o.nonce ?? randomBytes(5).toString('hex')
  const q = query({
    signature: sign(TOKEN, timestamp, nonce),
    timestamp,
    nonce,
    openid: openidFor(o, o.compatibleXml),
    encrypt_type: 'aes',
    msg_signature: o.badMsgSignature ? sign(TOKEN, timestamp, nonce, 'tampered') : sign(TOKEN, timestamp, nonce, encrypt),
  })
  const body = o.compatibleXml
    ? o.compatibleXml.replace('</xml>', `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`)
    : `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
  return Promise.resolve(app.request(`/wechat?${q}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } }))
}

/** Pull a tag's text out of a reply (CDATA or not). */
export function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml)
  return m ? (m[1] ?? m[2]) : undefined
}
