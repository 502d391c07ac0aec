import { createInterface } from 'node:readline/promises'
import { loadConfig } from '../config.js'
import { buildNodeBot } from '../deps.js'

/** Terminal chat over the same engine, in process. */
const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' })
const bot = await buildNodeBot(config)
const userId = process.env.CHAT_USER ?? 'terminal'
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY })

console.log('统保咨询助手（终端）。输入问题后回车，输入 exit 退出。')
rl.setPrompt('你> ')
rl.prompt()
for await (const line of rl) {
  const input = line.trim()
  if (input === 'exit' || input === 'quit' || input === '退出') break
  if (input) {
    const replies = await bot.engine.handle({ channel: 'cli', userId, text: input })
    for (const r of replies) console.log(`\n助手> ${r.text.replace(/\n/g, '\n      ')}\n`)
  }
  rl.prompt()
}
rl.close()
await bot.store.close()
