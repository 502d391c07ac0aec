import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createBot } from '../src/bot.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { createWorkerLogger } from '../src/worker/logger.js'
import { realKnowledge } from './helpers/bot.js'

// The Workers logger writes what the Node logger (pino, src/log.ts) writes: the same masking and redaction.

const CALLS: Array<[string, Record<string, unknown>, string]> = [
  ['info', { user: 'api:u1', text: '我的电话是 138 0013 8000，代码9144 0300 ma5e xamp 1f', n: 3 }, 'turn'],
  ['warn', { token: 'tok-secret', apiKey: 'sk-secret', wechat: { secret: 'app-secret', appId: 'wx1' }, req: { headers: { authorization: 'Bearer x' } } }, 'config'],
  ['error', { phone: '手机１３９－００１３－８０００' }, 'notice failed'],
  ['debug', { hidden: true }, 'below the level'],
]

/** What the Node logger writes for CALLS, from a real process (pino writes to stdout). */
async function nodeLines(): Promise<Array<Record<string, unknown>>> {
  const script = `import { createLogger } from './src/log.ts'
const log = createLogger('info')
for (const [level, fields, msg] of ${JSON.stringify(CALLS)}) log[level](fields, msg)`
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
}

function workerLines(level = 'info'): Array<Record<string, unknown>> {
  const out: string[] = []
  const log = createWorkerLogger(level, (line) => out.push(line)) as unknown as Record<string, (f: unknown, m: string) => void>
  for (const [lvl, fields, msg] of CALLS) log[lvl]!(fields, msg)
  return out.map((l) => JSON.parse(l) as Record<string, unknown>)
}

const comparable = ({ time: _t, pid: _p, hostname: _h, ...rest }: Record<string, unknown>) => rest

describe('the Workers logger', () => {
  it('writes the lines pino writes: levels, masked strings, redacted secrets', async () => {
    const worker = workerLines()
    expect(worker.map(comparable)).toEqual((await nodeLines()).map(comparable))
    const text = JSON.stringify(worker)
    expect(text).not.toMatch(/0013|００１３|MA5E|ma5e|tok-secret|sk-secret|app-secret|Bearer/)
    expect(worker[1]).toMatchObject({ token: '[redacted]', wechat: { secret: '[redacted]', appId: 'wx1' }, req: { headers: { authorization: '[redacted]' } } })
    expect(worker.every((l) => typeof l.time === 'number')).toBe(true)
  })

  it('has the part of pino the bot uses: levels, isLevelEnabled, child bindings, errors, silent', () => {
    const out: string[] = []
    const log = createWorkerLogger('warn', (l) => out.push(l))
    expect(log.isLevelEnabled('info')).toBe(false)
    expect(log.isLevelEnabled('error')).toBe(true)
    log.child({ component: 'ledger' }).error({ err: new Error('webhook down for 13800138000') }, 'failed')
    log.warn('plain message with 13800138000')
    const [withErr, plain] = out.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(withErr).toMatchObject({ level: 50, component: 'ledger', msg: 'failed', err: { type: 'Error' } })
    expect(JSON.stringify(withErr)).not.toContain('13800138000')
    expect(plain).toMatchObject({ level: 40 })
    expect(plain!.msg).not.toContain('13800138000')
    const silent: string[] = []
    createWorkerLogger('silent', (l) => silent.push(l)).error('nothing')
    expect(silent).toEqual([])
  })

  it('keeps a phone or credit code typed in a message out of the bot’s debug log, as on Node', async () => {
    const out: string[] = []
    const { knowledge, segmenter } = realKnowledge()
    const bot = createBot({ knowledge, segmenter, store: createMemoryStore({ sessionTtlSeconds: 60 }), logger: createWorkerLogger('debug', (l) => out.push(l)) })
    for (const text of ['我的电话是 138 0013 8000', '手机１３９－００１３－８０００', '代码9144 0300 ma5e xamp 1f']) {
      await bot.engine.handle({ channel: 'api', userId: 'log-user', text })
    }
    expect(out.join('\n')).toContain('"turn"')
    expect(out.join('\n')).not.toMatch(/0013|００１３/)
    expect(out.join('\n').toUpperCase()).not.toContain('MA5E')
  })
})
