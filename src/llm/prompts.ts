import type { PromptTemplate } from '@langchain/core/prompts'

/** Each prompt file and the placeholders it must use: exactly these, so a missing or misspelt one stops start-up. */
export const PROMPT_SPECS = {
  system: ['decline', 'max_chars'],
  answer: ['sources', 'rule_results', 'facts', 'question', 'language'],
  repair: ['problems', 'decline'],
  extract: ['fields', 'today', 'text'],
} as const

export type PromptName = keyof typeof PROMPT_SPECS
type Vars<N extends PromptName> = Record<(typeof PROMPT_SPECS)[N][number], string | number>

/** The loaded templates; format() fills one with its named values. */
export interface Prompts {
  format<N extends PromptName>(name: N, values: Vars<N>): Promise<string>
  /** A hash of the prompt texts, so a cached answer is not served after a prompt changes. */
  readonly texts: Readonly<Record<PromptName, string>>
}

/** A prompt file that is missing or does not use the placeholders it must; the message names the file. */
export class PromptError extends Error {
  override name = 'PromptError'
}

/**
 * Parse the prompt files (raw text by name, read by the runtime's own loader) as LangChain f-string templates and
 * check their placeholders against PROMPT_SPECS.
 */
export async function parsePrompts(files: Record<string, string | undefined>, dir = 'prompts'): Promise<Prompts> {
  // Loaded on demand: the embedded mode never needs LangChain.
  const { PromptTemplate } = await import('@langchain/core/prompts')
  const templates = new Map<PromptName, PromptTemplate>()
  const texts = {} as Record<PromptName, string>
  for (const [name, wanted] of Object.entries(PROMPT_SPECS) as Array<[PromptName, readonly string[]]>) {
    const file = `${dir}/${name}.md`
    const text = files[name]
    if (text === undefined || !text.trim()) throw new PromptError(`提示词文件缺失或为空：${file}`)
    let template: PromptTemplate
    try {
      template = PromptTemplate.fromTemplate(text.trim())
    } catch (err) {
      throw new PromptError(`提示词文件 ${file} 无法解析（花括号要成对，字面的花括号写成 {{ }}）：${(err as Error).message}`)
    }
    const used = new Set(template.inputVariables)
    const missing = wanted.filter((v) => !used.has(v))
    const unknown = [...used].filter((v) => !wanted.includes(v))
    if (missing.length) throw new PromptError(`提示词文件 ${file} 缺少占位符：${missing.map((v) => `{${v}}`).join('、')}`)
    if (unknown.length) throw new PromptError(`提示词文件 ${file} 有未知占位符：${unknown.map((v) => `{${v}}`).join('、')}（可用：${wanted.map((v) => `{${v}}`).join('、')}）`)
    templates.set(name, template)
    texts[name] = text
  }
  return {
    texts,
    format: (name, values) => templates.get(name)!.format(values as Record<string, string | number>),
  }
}
