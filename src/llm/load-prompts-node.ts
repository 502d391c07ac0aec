import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parsePrompts, PROMPT_SPECS, type Prompts } from './prompts.js'

/** Read prompts/<name>.md for every prompt the model mode uses, and check them (Node runtime). */
export function loadPromptsDir(dir: string): Promise<Prompts> {
  const files: Record<string, string | undefined> = {}
  for (const name of Object.keys(PROMPT_SPECS)) {
    const path = join(dir, `${name}.md`)
    files[name] = existsSync(path) ? readFileSync(path, 'utf8') : undefined
  }
  return parsePrompts(files, dir)
}
