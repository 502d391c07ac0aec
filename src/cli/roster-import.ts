import { readFileSync } from 'node:fs'
import { loadConfig } from '../config.js'
import { createLogger } from '../log.js'
import { parseRosterCsv } from '../policy/roster.js'
import { buildStore } from '../store/build-store.js'

/**
 * npm run roster:import <file.csv>: load the commerce bureau's published list (企业名称, 统一社会信用代码)
 * into the store, replacing the previous list. Rows with a bad credit code are listed and skipped.
 */
const file = process.argv[2]
if (!file) {
  console.error('用法：npm run roster:import <名单.csv>（表头：企业名称,统一社会信用代码）')
  process.exit(2)
}

const config = loadConfig()
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn')
let parsed
try {
  parsed = parseRosterCsv(readFileSync(file, 'utf8'))
} catch (err) {
  console.error(`无法读取名单 ${file}：${(err as Error).message}`)
  process.exit(1)
}
for (const r of parsed.rejected) console.error(`第 ${r.line} 行跳过：${r.reason}`)
if (!parsed.entries.length) {
  console.error('名单里没有有效的企业，未导入。')
  process.exit(1)
}
const store = await buildStore(config, logger)
try {
  const n = await store.roster.replace(parsed.entries)
  console.log(`已导入 ${n} 家企业${parsed.rejected.length ? `，跳过 ${parsed.rejected.length} 行` : ''}。`)
} finally {
  await store.close()
}
