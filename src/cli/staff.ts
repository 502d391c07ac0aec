import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { AccountError, createAccounts, MIN_PASSWORD, normalizeUsername, passwordProblem, ROLE_LABEL, ROLES, USERNAME } from '../console/accounts.js'
import { createScryptHasher } from '../console/password-node.js'
import { loadConfig } from '../config.js'
import { loadKnowledgeDir } from '../knowledge/load-node.js'
import { createLogger } from '../log.js'
import { buildStore } from '../store/build-store.js'
import type { StaffRole, Store } from '../store/types.js'

/*
 * npm run staff -- add <username> --role hotline|manager|admin [--district 宝安区 …]
 * npm run staff -- passwd <username>
 * npm run staff -- remove <username>
 * npm run staff -- list
 * npm run -s staff -- hash [username]   (prints "username:hash" for STAFF_BOOTSTRAP_ADMIN on Workers; no store opened)
 * The password comes from STAFF_PASSWORD, or is asked for (twice, not echoed) on a terminal.
 */
const USAGE = `用法：
  npm run staff -- add <用户名> --role hotline|manager|admin [--district 宝安区 …]
  npm run staff -- passwd <用户名>
  npm run staff -- remove <用户名>
  npm run staff -- list
  npm run -s staff -- hash [<用户名>]     只输出密码的哈希（有用户名时为“用户名:哈希”，用于 Workers 的 STAFF_BOOTSTRAP_ADMIN），不打开存储
密码取自环境变量 STAFF_PASSWORD，没有设置时在终端输入（至少 ${MIN_PASSWORD} 位）。`

function fail(message: string, code = 1): never {
  console.error(message)
  process.exit(code)
}

/** `--role admin --district 宝安区 光明区 --district 南山区` → flags; words after a flag belong to it until the next flag. */
function parseArgs(argv: string[]): { command?: string; username?: string; role?: string; districts: string[] } {
  const [command, ...rest] = argv
  const out: { command?: string; username?: string; role?: string; districts: string[] } = { command, districts: [] }
  let flag: string | undefined
  for (const arg of rest) {
    const m = /^--(role|district)(?:=(.*))?$/.exec(arg)
    if (m) {
      flag = m[1]
      if (m[2] !== undefined) assign(m[2])
      continue
    }
    if (arg.startsWith('--')) fail(`不认识的选项 ${arg}\n${USAGE}`, 2)
    if (flag) assign(arg)
    else if (out.username === undefined) out.username = arg
    else fail(`多余的参数 ${arg}\n${USAGE}`, 2)
  }
  function assign(v: string) {
    if (flag === 'role') {
      out.role = v
      flag = undefined
    } else out.districts.push(v)
  }
  return out
}

/** One line from a terminal without echoing it, or from piped stdin. `hash` asks on stderr: its stdout is the hash. */
function ask(question: string, output: NodeJS.WriteStream = process.stdout): Promise<string> {
  return new Promise((resolveAnswer) => {
    const rl = createInterface({ input: process.stdin, output, terminal: !!process.stdin.isTTY })
    const muted = rl as unknown as { _writeToOutput?: (s: string) => void }
    if (process.stdin.isTTY) {
      output.write(question)
      muted._writeToOutput = () => undefined
    }
    rl.question(process.stdin.isTTY ? '' : question, (answer) => {
      if (process.stdin.isTTY) output.write('\n')
      rl.close()
      resolveAnswer(answer)
    })
  })
}

async function password(output?: NodeJS.WriteStream): Promise<string> {
  const fromEnv = process.env.STAFF_PASSWORD
  if (fromEnv) return fromEnv
  if (!process.stdin.isTTY) return ask('密码：', output)
  const first = await ask('密码：', output)
  if ((await ask('再输入一次：', output)) !== first) fail('两次输入的密码不一致，未修改。')
  return first
}

const args = parseArgs(process.argv.slice(2))
if (!args.command || !['add', 'passwd', 'remove', 'list', 'hash'].includes(args.command)) fail(USAGE, 2)

if (args.command === 'hash') {
  // Workers: the ledger is a Durable Object this process cannot open; the hash goes into a secret instead
  // (README "Cloudflare Workers"). Only the value on stdout, so it can be piped to `wrangler secret put`.
  const name = args.username === undefined ? undefined : normalizeUsername(args.username)
  if (name !== undefined && !USERNAME.test(name)) fail('用户名只能用小写字母、数字和 . _ -，2 到 32 位，以字母或数字开头', 2)
  const pw = await password(process.stderr)
  const problem = passwordProblem(pw)
  if (problem) fail(problem)
  const hash = await createScryptHasher().hash(pw)
  await new Promise((done) => process.stdout.write(`${name === undefined ? hash : `${name}:${hash}`}\n`, done))
  process.exit(0)
}
if (args.command !== 'list' && !args.username) fail(`请给出用户名。\n${USAGE}`, 2)
if (args.command === 'add' && !ROLES.includes(args.role as StaffRole)) fail(`请用 --role 指定角色：${ROLES.join('、')}\n${USAGE}`, 2)

const config = loadConfig()
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn')
const knowledge = loadKnowledgeDir(resolve(config.KNOWLEDGE_DIR))
let store: Store
try {
  store = await buildStore(config, logger)
} catch (err) {
  fail(`打不开存储：${(err as Error).message}\n内置存储同一时间只能被一个进程使用：请先停服务，或由管理员在控制台的“账号”页操作（或使用 Redis 存储）。`)
}
const accounts = createAccounts({
  staff: store.staff,
  audit: store.audit,
  hasher: createScryptHasher(),
  districts: knowledge.managers.groups.flatMap((g) => g.districts),
})

try {
  const name = args.username ?? ''
  if (args.command === 'add') {
    const role = args.role as StaffRole
    accounts.districtsFor(role, args.districts) // refuse bad districts before asking for a password
    const a = await accounts.add({ username: name, role, districts: args.districts, password: await password() }, 'cli')
    console.log(`已添加账号 ${a.username}（${ROLE_LABEL[a.role]}${a.districts.length ? `：${a.districts.join('、')}` : ''}）。`)
  } else if (args.command === 'passwd') {
    if (!(await store.staff.get(name.toLowerCase()))) throw new AccountError(`没有账号 ${name.toLowerCase()}`)
    await accounts.setPassword(name, await password(), 'cli')
    console.log(`已修改 ${name.toLowerCase()} 的密码；该账号已登录的控制台会话随即失效。`)
  } else if (args.command === 'remove') {
    await accounts.remove(name, 'cli')
    console.log(`已删除账号 ${name.toLowerCase()}。`)
  } else {
    const all = await store.staff.list()
    if (!all.length) console.log('还没有账号。添加：npm run staff -- add <用户名> --role admin')
    for (const a of all) console.log(`${a.username}\t${a.role}\t${a.districts.join('、')}`)
  }
} catch (err) {
  process.exitCode = 1
  console.error(err instanceof AccountError ? err.message : `失败：${(err as Error).message}`)
} finally {
  await store.close()
}
