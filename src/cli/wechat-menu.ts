import { WECHAT_MENU } from '../channels/wechat/menu.js'
import { loadConfig } from '../config.js'
import { buildWeChat } from '../deps.js'
import { createLogger } from '../log.js'
import { buildStore } from '../store/build-store.js'

/** npm run wechat:menu — create the account's custom menu through WeChat's API (needs WECHAT_APP_ID and WECHAT_APP_SECRET). */
const config = loadConfig()
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn')
if (!config.WECHAT_TOKEN || !config.WECHAT_APP_ID || !config.WECHAT_APP_SECRET) {
  console.error('需要设置 WECHAT_TOKEN、WECHAT_APP_ID 和 WECHAT_APP_SECRET 才能创建菜单。')
  process.exit(2)
}
const store = await buildStore(config, logger)
try {
  const wechat = buildWeChat(config, store, logger)!
  await wechat.api!.createMenu(WECHAT_MENU)
  console.log('自定义菜单已创建：', WECHAT_MENU.button.map((b) => b.name).join('、'))
} catch (err) {
  console.error(`创建菜单失败：${(err as Error).message}`)
  process.exitCode = 1
} finally {
  await store.close()
}
