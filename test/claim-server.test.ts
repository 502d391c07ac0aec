import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FULL_REPORT } from './helpers/claim.js'
import { sayTo, startServer, type RunningServer } from './helpers/server.js'
import { eventually, startWebhookStub } from './helpers/webhook-stub.js'

const say = sayTo

describe('loss report across a server restart, with the manager notified through a flaky webhook', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-claim-'))
  const servers: RunningServer[] = []
  afterAll(async () => {
    for (const s of servers) await s.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('continues the form after a restart, stores the report, and delivers the notice after a failed first try', async () => {
    const stub = await startWebhookStub(1)
    const env = { DATA_DIR: dataDir, REDIS_URL: '', NOTIFY_WEBHOOK_URL: stub.url, NOTIFY_RETRY_SECONDS: '1', LOG_LEVEL: 'debug' }
    let logs = ''
    try {
      const first = await startServer(env)
      servers.push(first)
      const half = FULL_REPORT.slice(0, 8)
      for (const [answer, expected] of half) expect(await say(first, 'wx-user', answer)).toContain(expected)
      await first.stop()
      logs += first.output()

      const second = await startServer(env)
      servers.push(second)
      for (const [answer, expected] of FULL_REPORT.slice(8)) expect(await say(second, 'wx-user', answer)).toContain(expected)
      const done = await say(second, 'wx-user', '确认')
      const id = /BS\d{8}-\d{4}/.exec(done)![0]
      expect(done).toContain('我们已通知宝安区的客户经理')

      await eventually(() => stub.received.length >= 2)
      const notice = stub.received[1] as { msgtype: string; text: { content: string; mentioned_mobile_list?: string[] } }
      expect(notice.msgtype).toBe('text')
      expect(notice.text.content).toContain(id)
      expect(notice.text.content).toContain('深圳市示例电子科技有限公司')
      expect(notice.text.content).toContain('宝安区')
      expect(notice.text.content).toContain('125,000 USD')
      expect(notice.text.content).toContain('138****5678')
      expect(notice.text.content).not.toContain('13812345678')
      expect(notice.text.mentioned_mobile_list).toEqual(['13699865957'])
      await second.stop()
      logs += second.output()

      // A third start: the report and its status survive, the notice is not sent again.
      const third = await startServer(env)
      servers.push(third)
      expect(await say(third, 'wx-user', '我的报案')).toContain(id)
      expect(await say(third, 'someone-else', `查询报案 ${id}`)).toContain('没有找到')
      await new Promise((r) => setTimeout(r, 1500))
      expect(stub.received).toHaveLength(2)
      await third.stop()
      logs += third.output()

      expect(logs).toContain('notice failed; will retry')
      expect(logs).toContain('notice delivered')
      expect(logs).not.toContain('13812345678')
      expect(logs).not.toContain('91440300MA5EXAMP1F')
    } finally {
      await stub.close()
    }
  })
})
