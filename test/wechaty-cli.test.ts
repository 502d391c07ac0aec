import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { sayTo, startServer } from './helpers/server.js'

describe('npm run wechaty (src/cli/wechaty.ts)', () => {
  it('starts the puppet named by WECHATY_PUPPET, serves HTTP beside it on request, and shuts down cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tb-wechaty-'))
    const server = await startServer({ WECHATY_PUPPET: 'wechaty-puppet-mock', WECHATY_SERVE_HTTP: 'true', DATA_DIR: dataDir }, ['--import', 'tsx', 'src/cli/wechaty.ts'])
    try {
      await vi.waitFor(() => expect(server.output()).toContain('"puppet":"wechaty-puppet-mock","msg":"wechaty started"'), { timeout: 15_000 })
      // The same process answers the JSON chat API, on the same (embedded) store.
      expect(await sayTo(server, 'u1', '赔付比例是多少')).toContain('80%')
    } finally {
      await server.stop()
    }
    expect(server.proc.exitCode).toBe(0)
    expect(server.output()).toContain('shutting down')
  })
})
