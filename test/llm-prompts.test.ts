import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadPromptsDir } from '../src/llm/load-prompts-node.js'
import { parsePrompts, PromptError, PROMPT_SPECS } from '../src/llm/prompts.js'

const real = () => Object.fromEntries(Object.keys(PROMPT_SPECS).map((n) => [n, readFileSync(`prompts/${n}.md`, 'utf8')]))

describe('prompts/', () => {
  it('loads every prompt file and fills its named placeholders', async () => {
    const prompts = await loadPromptsDir('prompts')
    const system = await prompts.format('system', { decline: '资料里没有', max_chars: 200 })
    expect(system).toContain('资料里没有')
    expect(system).toContain('200')
    expect(system).not.toMatch(/\{[a-z_]+\}/)
    const answer = await prompts.format('answer', { sources: 'SRC', rule_results: 'RULES', facts: 'FACTS', question: 'Q?', language: 'English' })
    expect(answer).toMatch(/SRC[\s\S]*RULES[\s\S]*FACTS[\s\S]*Q\?[\s\S]*English/)
    expect(await prompts.format('repair', { problems: '“90%”（比例）', decline: '资料里没有' })).toContain('“90%”（比例）')
    expect(await prompts.format('extract', { fields: '- company：企业名称', today: '2026-01-02', text: 'T' })).toContain('JSON')
  })

  it('states the rules in Chinese: sources only, say when unknown, no markdown, a length limit, no citations', () => {
    const system = readFileSync('prompts/system.md', 'utf8')
    expect(system).toMatch(/只根据/)
    expect(system).toMatch(/资料不足以回答/)
    expect(system).toMatch(/markdown/)
    expect(system).toMatch(/不超过 \{max_chars\}/)
    expect(system).toMatch(/不写出处/)
    // Facts live in knowledge/: the prompts name no phone, limit or date.
    for (const n of Object.keys(PROMPT_SPECS)) expect(readFileSync(`prompts/${n}.md`, 'utf8')).not.toMatch(/\d{4,}|万美元|%/)
  })

  it('stops with the file and the placeholder named when a placeholder is missing, unknown, or a file is gone', async () => {
    const files = real()
    await expect(parsePrompts({ ...files, answer: files.answer!.replace('{sources}', '') })).rejects.toThrow(/prompts\/answer\.md 缺少占位符：\{sources\}/)
    await expect(parsePrompts({ ...files, system: `${files.system}\n{tone}` })).rejects.toThrow(/prompts\/system\.md 有未知占位符：\{tone\}/)
    await expect(parsePrompts({ ...files, extract: undefined })).rejects.toThrow(PromptError)
    await expect(parsePrompts({ ...files, extract: undefined })).rejects.toThrow(/提示词文件缺失或为空：prompts\/extract\.md/)

    const dir = mkdtempSync(join(tmpdir(), 'prompts-'))
    cpSync('prompts', dir, { recursive: true })
    writeFileSync(join(dir, 'repair.md'), '请改正：{problem}')
    await expect(loadPromptsDir(dir)).rejects.toThrow(new RegExp(`${dir}/repair\\.md 缺少占位符：\\{problems\\}、\\{decline\\}`))
  })
})
