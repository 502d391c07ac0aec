import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildKnowledge, type Knowledge, type KnowledgeFiles } from './knowledge.js'

/** Read and validate every file in the knowledge directory (Node edge). */
export function loadKnowledgeDir(dir: string): Knowledge {
  const files: KnowledgeFiles = {}
  for (const name of readdirSync(dir)) {
    if (/\.(md|json|txt|csv)$/.test(name)) files[name] = readFileSync(join(dir, name), 'utf8')
  }
  return buildKnowledge(files)
}
