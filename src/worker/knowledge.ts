import contacts from '../../knowledge/contacts.json' with { type: 'json' }
import countries from '../../knowledge/countries.json' with { type: 'json' }
import dictionary from '../../knowledge/dictionary.txt'
import managers from '../../knowledge/managers.json' with { type: 'json' }
import outOfScope from '../../knowledge/out-of-scope.json' with { type: 'json' }
import policy from '../../knowledge/policy.md'
import risks from '../../knowledge/risks.json' with { type: 'json' }
import rules from '../../knowledge/rules.json' with { type: 'json' }
import streets from '../../knowledge/streets.json' with { type: 'json' }
import synonyms from '../../knowledge/synonyms.json' with { type: 'json' }
import wording from '../../knowledge/wording.json' with { type: 'json' }
import { buildKnowledge, type Knowledge, type KnowledgeFiles } from '../knowledge/knowledge.js'

/**
 * The knowledge/ files, bundled into the Worker (workerd has no file system): text files as Text modules
 * (wrangler.toml [[rules]]), JSON as JSON modules. The same buildKnowledge validates them as on Node;
 * test/worker-knowledge.test.ts checks that every file of knowledge/ is imported here.
 */
export function bundledKnowledgeFiles(): KnowledgeFiles {
  const json = { contacts, countries, managers, 'out-of-scope': outOfScope, risks, rules, streets, synonyms, wording }
  const files: KnowledgeFiles = { 'dictionary.txt': dictionary, 'policy.md': policy }
  for (const [name, data] of Object.entries(json)) files[`${name}.json`] = JSON.stringify(data)
  return files
}

let built: Knowledge | undefined

/** The validated knowledge, built once per isolate on first use (not at import: a bad file fails the request, not the deploy). */
export function workerKnowledge(): Knowledge {
  built ??= buildKnowledge(bundledKnowledgeFiles())
  return built
}
