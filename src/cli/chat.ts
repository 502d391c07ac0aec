import { createInterface } from 'node:readline/promises'
import { loadConfig } from '../config.js'
import { buildNodeBot } from '../deps.js'
import { createMemoryStore } from '../store/memory-store.js'
import { StoreUnavailableError } from '../store/types.js'
import { isTooLong, tooLongReply } from '../text/limit.js'

/** Terminal chat over the same engine, in process. */
const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' })
const bot = await buildNodeBot(config).catch(async (err: Error) => {
  if (!(err instanceof StoreUnavailableError)) throw err
  // The embedded store is held by a running server: chat anyway, without sharing its sessions and reports.
  console.warn(`注意：${err.message}\n本次终端对话使用临时内存存储（报案、名单不与服务共享）。要共享，请设置 REDIS_URL。`)
  return buildNodeBot(config, { store: createMemoryStore({ sessionTtlSeconds: config.SESSION_TTL_SECONDS }) })
})
const userId = process.env.CHAT_USER ?? 'terminal'
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY })

console.log('统保咨询助手（终端）。输入问题后回车，输入 exit 退出。')
rl.setPrompt('你> ')
rl.prompt()
for await (const line of rl) {
  const input = line.trim()
  if (input === 'exit' || input === 'quit' || input === '退出') break
  if (isTooLong(input, config.MAX_TEXT_LENGTH)) console.log(`\n助手> ${tooLongReply(config.MAX_TEXT_LENGTH)}\n`)
  else if (input) {
    const replies = await bot.engine.handle({ channel: 'cli', userId, text: input })
    for (const r of replies) console.log(`\n助手> ${r.text.replace(/\n/g, '\n      ')}\n`)
  }
  rl.prompt()
}
rl.close()
await bot.store.close()
