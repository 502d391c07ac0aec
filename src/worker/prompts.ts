import answer from '../../prompts/answer.md'
import extract from '../../prompts/extract.md'
import repair from '../../prompts/repair.md'
import system from '../../prompts/system.md'
import { parsePrompts, type Prompts } from '../llm/prompts.js'

/**
 * The prompts/ files, bundled as text modules (wrangler.toml [[rules]]) and checked as on Node (a missing
 * placeholder stops the bot with the file's name). test/worker-bundle.test.ts checks every prompt file is here.
 */
export function bundledPrompts(): Promise<Prompts> {
  return parsePrompts({ answer, extract, repair, system }, 'prompts')
}
