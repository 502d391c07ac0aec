import type { Logger } from 'pino'
import type { KvStore } from '../../store/types.js'

/** WeChat's API refused (errcode) or could not be reached (network); kept apart so callers can tell them apart. */
export class WeChatApiError extends Error {
  override name = 'WeChatApiError'
  constructor(
    readonly kind: 'refused' | 'network',
    readonly errcode: number | undefined,
    message: string,
  ) {
    super(message)
  }
}

export interface WeChatApiOptions {
  appId: string
  appSecret: string
  apiBase: string
  kv: KvStore
  /** Cross-instance lock, so one instance fetches the token (a new token invalidates the old one). */
  runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T>
  logger: Logger
  fetchImpl?: typeof fetch
  timeoutMs?: number
}

export interface WeChatApi {
  getToken(staleToken?: string): Promise<string>
  /** Customer-service text message; false when WeChat will not deliver it (45015: outside the 48 h window). */
  sendText(openId: string, content: string): Promise<boolean>
  createMenu(menu: unknown): Promise<void>
}

const TOKEN_KEY = 'wx:access_token'
const BAD_TOKEN = new Set([40001, 40014, 42001])
const OUT_OF_WINDOW = 45015

/** Client for the few WeChat APIs the bot uses, with the access_token shared through the store. */
export function createWeChatApi({ appId, appSecret, apiBase, kv, runExclusive, logger, fetchImpl = fetch, timeoutMs = 5_000 }: WeChatApiOptions): WeChatApi {
  const base = apiBase.replace(/\/+$/, '')

  async function call(path: string, init?: RequestInit): Promise<Record<string, unknown>> {
    let res: Response
    try {
      res = await fetchImpl(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    } catch (err) {
      throw new WeChatApiError('network', undefined, `WeChat API unreachable: ${(err as Error).message}`)
    }
    if (!res.ok) throw new WeChatApiError('network', undefined, `WeChat API answered HTTP ${res.status}`)
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>
    const errcode = typeof json.errcode === 'number' ? json.errcode : 0
    if (errcode !== 0) throw new WeChatApiError('refused', errcode, `WeChat API errcode ${errcode}: ${String(json.errmsg ?? '')}`)
    return json
  }

  async function fetchToken(): Promise<string> {
    const json = await call(`/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(appSecret)}`)
    const token = String(json.access_token ?? '')
    const expiresIn = Number(json.expires_in ?? 7200)
    if (!token) throw new WeChatApiError('refused', undefined, 'WeChat API returned no access_token')
    // Refresh five minutes early: WeChat keeps the old token valid about that long after a new one is issued.
    await kv.set(TOKEN_KEY, token, Math.max(60, expiresIn - 300))
    logger.info({ expiresIn }, 'wechat access_token refreshed')
    return token
  }

  const api: WeChatApi = {
    async getToken(staleToken) {
      const cached = await kv.get(TOKEN_KEY)
      if (cached && cached !== staleToken) return cached
      return runExclusive('wx:token', async () => {
        // Another instance may have refreshed while we waited for the lock.
        const again = await kv.get(TOKEN_KEY)
        if (again && again !== staleToken) return again
        return fetchToken()
      })
    },
    async sendText(openId, content) {
      const send = async (token: string) =>
        call(`/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ touser: openId, msgtype: 'text', text: { content } }),
        })
      const token = await api.getToken()
      try {
        await send(token)
        return true
      } catch (err) {
        if (!(err instanceof WeChatApiError) || err.errcode === undefined) throw err
        if (err.errcode === OUT_OF_WINDOW) {
          logger.warn({ errcode: err.errcode }, 'customer-service message outside the 48 h window; not retried')
          return false
        }
        if (!BAD_TOKEN.has(err.errcode)) throw err
        // Refresh once and retry once; a second failure is reported, never looped.
        await send(await api.getToken(token))
        return true
      }
    },
    async createMenu(menu) {
      const token = await api.getToken()
      await call(`/cgi-bin/menu/create?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(menu),
      })
    },
  }
  return api
}
