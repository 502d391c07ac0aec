import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from './helpers/server.js'

describe('the server as npm start runs it (bundled by npm run build)', () => {
  let server: RunningServer
  const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-'))

  beforeAll(async () => {
    await promisify(execFile)('npm', ['run', '--silent', 'build'])
    server = await startServer({ DATA_DIR: dataDir, REDIS_URL: '', OPENAI_API_KEY: '' }, ['--enable-source-maps', 'dist/main.js'])
  })
  afterAll(async () => {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('answers a policy question over HTTP with no Redis and no model key', async () => {
    const res = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 's1', text: '单一窗口的网址是什么' }),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { replies: Array<{ text: string }> }
    expect(body.replies[0]!.text).toContain('http://sz.singlewindow.cn/')
  })

  it('stays up after malformed requests', async () => {
    const bad = await fetch(`${server.url}/api/chat`, { method: 'POST', body: '{"userId":', headers: { 'content-type': 'application/json' } })
    expect(bad.status).toBe(400)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('refuses a cross-site simple request (text/plain) with 415 and a JSON error', async () => {
    const res = await fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify({ userId: 's2', text: '你好' }), headers: { 'content-type': 'text/plain' } })
    expect(res.status).toBe(415)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type')
  })

  it('logs that it is ready with its start-up time', () => {
    expect(server.output()).toMatch(/"readyMs":\d+/)
  })
})
