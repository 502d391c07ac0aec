import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { parse as parseNode } from 'csv-parse/sync'
import { parse as parseBrowser } from 'csv-parse/browser/esm/sync'
import * as OpenCCFull from 'opencc-js'
import * as OpenCCT2cn from 'opencc-js/t2cn'
import { describe, expect, it } from 'vitest'
import { loadGolden } from '../src/eval/golden.js'

// What the Worker bundles, checked on Node: the knowledge files, the substitutions of wrangler.toml [alias]
// (same output as the packages Node uses), and the bundle itself (wrangler deploy --dry-run: no upload).

describe('the Worker bundle', () => {
  it('imports every knowledge file the Node loader reads', () => {
    const source = readFileSync('src/worker/knowledge.ts', 'utf8')
    const imported = [...source.matchAll(/from '\.\.\/\.\.\/knowledge\/([^']+)'/g)].map((m) => m[1]).sort()
    const onDisk = readdirSync('knowledge').filter((f) => /\.(md|json|txt|csv)$/.test(f)).sort()
    expect(imported).toEqual(onDisk)
  })

  it('imports every prompt file the Node loader reads', () => {
    const source = readFileSync('src/worker/prompts.ts', 'utf8')
    const imported = [...source.matchAll(/from '\.\.\/\.\.\/prompts\/([^']+)'/g)].map((m) => m[1]).sort()
    expect(imported).toEqual(readdirSync('prompts').filter((f) => f.endsWith('.md')).sort())
  })

  it('converts traditional to simplified with the small table exactly as with the full one', () => {
    const full = OpenCCFull.Converter({ from: 'hk', to: 'cn' })
    const small = OpenCCT2cn.Converter({ from: 'hk', to: 'cn' })
    const dicts = ['TSCharacters', 'TSPhrases', 'HKVariantsRev', 'HKVariantsRevPhrases', 'HKPhrasesRev'].map((d) =>
      readFileSync(`node_modules/opencc-js/dist/esm-lib/dict/${d}.js`, 'utf8'),
    )
    // Every traditional word and character of the tables, the knowledge base and the golden questions.
    const words = dicts.flatMap((d) => [...d.matchAll(/(?:^export default "|\|)([^ |"]+) /g)].map((m) => m[1]!))
    const texts = [...readdirSync('knowledge').filter((f) => /\.(md|json|txt)$/.test(f)).map((f) => readFileSync(join('knowledge', f), 'utf8')), ...loadGolden('test/golden').map((g) => g.q)]
    expect(words.length).toBeGreaterThan(4_000)
    const mismatches = [...words, ...texts].filter((t) => small(t) !== full(t))
    expect(mismatches).toEqual([])
    expect(small('買家拒收貨物保不保')).toBe('买家拒收货物保不保')
  })

  it('parses the roster CSV with the browser build of csv-parse exactly as with the Node build', () => {
    const options = { skip_empty_lines: true, relax_column_count: true, trim: true }
    const csv = [
      readFileSync('knowledge/samples/roster-sample.csv', 'utf8'),
      '企业名称,统一社会信用代码\n"深圳市""引号""公司",91440300MA5EXAMP1F\n\n  空格公司 , 91440300AAAAAAAAAA ,多余\r\n',
    ]
    for (const text of csv) expect(parseBrowser(text, options)).toEqual(parseNode(text, options))
  })

  it('builds with wrangler without nodejs_compat, within the Workers Free plan’s 3 MB (gzip)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'worker-bundle-'))
    try {
      const { stdout } = await promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], {
        env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
      })
      expect(stdout).toContain('--dry-run: exiting now')
      expect(readFileSync('wrangler.toml', 'utf8')).not.toMatch(/^compatibility_flags.*nodejs_compat/m)
      // The script and its modules (the knowledge text files); not the source map or wrangler's README.md.
      const files = readdirSync(out).filter((f) => !f.endsWith('.map') && f !== 'README.md')
      const raw = files.reduce((n, f) => n + statSync(join(out, f)).size, 0)
      const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(join(out, f))).length, 0)
      console.log(`Worker bundle: ${(raw / 1024).toFixed(0)} KiB, gzip ${(gzip / 1024).toFixed(0)} KiB`)
      expect(gzip).toBeLessThan(3 * 1024 * 1024)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 120_000)
})
