import type { Logger } from 'pino'
import { createWeChatApi, type WeChatApi } from './channels/wechat/api.js'
import { createMessageCrypto } from './channels/wechat/crypto.js'
import type { Config } from './config.js'
import type { AppDeps } from './http/app.js'
import type { Store } from './store/types.js'

// The builders src/deps.ts (Node) and src/worker/build.ts (Cloudflare Workers) share: Web-standard only.

export type WeChatDeps = NonNullable<AppDeps['wechat']> & { api?: WeChatApi }

/** WeChat settings → crypto for safe mode and the API client (only with an AppSecret); undefined without a token. */
export function buildWeChat(config: Config, store: Store, logger: Logger): WeChatDeps | undefined {
  if (!config.WECHAT_TOKEN) return undefined
  const crypto =
    config.WECHAT_ENCODING_AES_KEY && config.WECHAT_APP_ID
      ? createMessageCrypto({
          appId: config.WECHAT_APP_ID,
          encodingAesKey: config.WECHAT_ENCODING_AES_KEY,
          previousEncodingAesKey: config.WECHAT_ENCODING_AES_KEY_PREVIOUS,
        })
      : undefined
  const api =
    config.WECHAT_APP_ID && config.WECHAT_APP_SECRET
      ? createWeChatApi({
          appId: config.WECHAT_APP_ID,
          appSecret: config.WECHAT_APP_SECRET,
          apiBase: config.WECHAT_API_BASE,
          kv: store.kv,
          runExclusive: (key, fn) => store.runExclusive(key, fn),
          logger,
        })
      : undefined
  return { token: config.WECHAT_TOKEN, crypto, api, budgetMs: config.WECHAT_REPLY_BUDGET_MS }
}
