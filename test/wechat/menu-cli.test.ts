import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWeChatApiStub, type WeChatApiStub } from '../helpers/wechat-stub.js'

const run = promisify(execFile)

describe('npm run wechat:menu', () => {
  let stub: WeChatApiStub
  const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-menu-'))
  beforeAll(async () => {
    stub = await startWeChatApiStub()
  })
  afterAll(async () => {
    await stub.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('creates the custom menu through the API', async () => {
    const env = { ...process.env, WECHAT_TOKEN: 't', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', WECHAT_API_BASE: stub.base, DATA_DIR: dataDir, REDIS_URL: '' }
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/wechat-menu.ts'], { env })
    expect(stdout).toContain('自定义菜单已创建')
    expect(JSON.stringify(stub.menus[0])).toContain('在线报损')
    expect(stub.tokenRequests).toBe(1)
  })

  it('explains what is missing without an AppSecret', async () => {
    const env = { ...process.env, WECHAT_TOKEN: 't', WECHAT_APP_ID: '', WECHAT_APP_SECRET: '', DATA_DIR: dataDir, REDIS_URL: '' }
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli/wechat-menu.ts'], { env })).rejects.toMatchObject({
      stderr: expect.stringContaining('WECHAT_APP_SECRET'),
    })
  })
})
