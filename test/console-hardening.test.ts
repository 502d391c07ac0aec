import { describe, expect, it } from 'vitest'
import { reportsCsv } from '../src/console/csv.js'
import { ConsoleClient, consoleSetup, sampleReport, signedIn } from './helpers/console.js'
import { testBot } from './helpers/bot.js'

const PASSWORD = 'correct-horse-battery'

/** Log in from /console/login?next=<next> as the login page would send it back; the POST's response. */
async function loginWithNext(client: ConsoleClient, next: string): Promise<Response> {
  const form = await (await client.get(`/console/login?next=${encodeURIComponent(next)}`)).text()
  const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? ''
  return client.post('/console/login', { username: 'zhang', password: PASSWORD, _csrf: token, next })
}

describe('where a login goes next', () => {
  it('goes back to a console page, but never to another site, a control character or a path out of the console', async () => {
    const s = await consoleSetup()
    await s.addStaff('zhang', 'hotline')
    const cases: Array<[string, string]> = [
      ['/console/reports?status=received', '/console/reports?status=received'],
      ['/console/\r\nX-Injected: 1', '/console'],
      ['/console/%0d%0aX:1', '/console/%0d%0aX:1'],
      ['/console/\u0000x', '/console'],
      ['//evil.example/console', '/console'],
      ['https://evil.example/console', '/console'],
      ['/console\\..\\..\\evil', '/console'],
      ['/console/../login-elsewhere', '/console'],
      ['/consolex', '/console'],
    ]
    for (const [next, expected] of cases) {
      const res = await loginWithNext(new ConsoleClient(s.app), next)
      expect(res.status, JSON.stringify(next)).toBe(303)
      expect(res.headers.get('location'), JSON.stringify(next)).toBe(expected)
      expect(res.headers.get('x-injected')).toBeNull()
    }
  })
})

describe('what staff see of users’ text', () => {
  it('shows no control characters or bidirectional overrides from a report, in pages or in the CSV', async () => {
    const s = await consoleSetup()
    const rlo = 'ABC\u202Egpj.exe'
    await s.store.reports.save(sampleReport('BS20261120-0001', {}, { company: `深圳\u0007示例\u2066公司${rlo}`, buyerName: 'Buyer\u200F\u0000 Ltd' }))
    await s.addStaff('zhang', 'hotline')
    const client = await signedIn(s.app, 'zhang')
    for (const path of ['/console/reports', '/console/reports/BS20261120-0001', `/console/lookup?q=${encodeURIComponent('BS20261120-0001')}`]) {
      const html = await (await client.get(path)).text()
      expect(html, path).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u200e\u200f\u202a-\u202e\u2066-\u2069]/)
    }
    const detail = await (await client.get('/console/reports/BS20261120-0001')).text()
    expect(detail).toContain('深圳示例公司ABCgpj.exe')
    const csv = await (await client.get('/console/reports.csv')).text()
    expect(csv).toContain('深圳示例公司ABCgpj.exe')
    expect(csv).not.toMatch(/[\u0000-\u0008\u202a-\u202e\u2066-\u2069]/)
  })

  it('defuses a full-width ＝ at the start of a CSV cell as it does =', () => {
    const bot = testBot()
    const csv = reportsCsv([sampleReport('BS20261120-0002', {}, { company: '＝HYPERLINK("http://evil.example")', buyerName: '＋1', contactName: '＠SUM(A1)', description: '－2' })], bot)
    const row = csv.split('\r\n')[1]!
    expect(row).toContain(`"'＝HYPERLINK(""http://evil.example"")"`)
    expect(row).toContain(",'＋1,")
    expect(row).toContain("'＠SUM(A1)")
    expect(row).toContain("'－2")
  })
})
