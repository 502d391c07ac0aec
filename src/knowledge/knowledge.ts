import { z } from 'zod'
import { streetsSchema, type StreetsFile } from '../policy/places.js'
import { parsePolicyMarkdown } from './parse-policy.js'
import {
  contactsSchema,
  countriesSchema,
  managersSchema,
  outOfScopeSchema,
  risksSchema,
  policySchema,
  rulesSchema,
  synonymsSchema,
  wordingSchema,
  type Contacts,
  type CountriesFile,
  type ManagersFile,
  type OutOfScopeFile,
  type RisksFile,
  type PolicyDoc,
  type Rules,
  type Section,
  type SynonymsFile,
  type WordingFile,
} from './schema.js'

/** The raw text of every knowledge file, keyed by file name; read by the runtime's own loader. */
export type KnowledgeFiles = Record<string, string>

/** Everything the bot knows, validated. */
export interface Knowledge {
  policy: PolicyDoc
  sections: Map<string, Section>
  managers: ManagersFile
  contacts: Contacts
  rules: Rules
  synonyms: SynonymsFile
  outOfScope: OutOfScopeFile
  risks: RisksFile
  streets: StreetsFile
  countries: CountriesFile
  /** How users say things (knowledge/wording.json): read by the understanding stage. */
  wording: WordingFile
  dictionary: string
}

/** A knowledge file that failed validation; the message names the file and the field. */
export class KnowledgeError extends Error {
  override name = 'KnowledgeError'
}

function parseFile<T>(files: KnowledgeFiles, file: string, schema: z.ZodType<T>, parse: (text: string) => unknown = JSON.parse): T {
  const text = files[file]
  if (text === undefined) throw new KnowledgeError(`知识库文件缺失：knowledge/${file}`)
  let data: unknown
  try {
    data = parse(text)
  } catch (err) {
    throw new KnowledgeError(`知识库文件 knowledge/${file} 无法解析：${(err as Error).message}`)
  }
  const result = schema.safeParse(data)
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(根)'}: ${i.message}`).join('；')
    throw new KnowledgeError(`知识库文件 knowledge/${file} 字段错误：${issues}`)
  }
  return result.data
}

/** Validate the raw files and cross-check references between them (every "source" names a real section). */
export function buildKnowledge(files: KnowledgeFiles): Knowledge {
  const policy = parseFile(files, 'policy.md', policySchema, parsePolicyMarkdown)
  const sections = new Map<string, Section>()
  for (const s of policy.sections) {
    if (sections.has(s.id)) throw new KnowledgeError(`知识库文件 knowledge/policy.md 字段错误：章节 id 重复 ${s.id}`)
    sections.set(s.id, s)
  }
  const managers = parseFile(files, 'managers.json', managersSchema)
  const contacts = parseFile(files, 'contacts.json', contactsSchema)
  const rules = parseFile(files, 'rules.json', rulesSchema)
  const synonyms = parseFile(files, 'synonyms.json', synonymsSchema)
  const outOfScope = parseFile(files, 'out-of-scope.json', outOfScopeSchema)
  const risks = parseFile(files, 'risks.json', risksSchema)
  const streets = parseFile(files, 'streets.json', streetsSchema)
  const countries = parseFile(files, 'countries.json', countriesSchema)
  const wording = parseFile(files, 'wording.json', wordingSchema)
  const dictionary = files['dictionary.txt'] ?? ''

  const refs: Array<[string, string, string]> = [
    ['managers.json', 'source', managers.source],
    ['contacts.json', 'policyHotlines.source', contacts.policyHotlines.source],
    ['contacts.json', 'singleWindowSupport.source', contacts.singleWindowSupport.source],
    ['contacts.json', 'claimsHotline.source', contacts.claimsHotline.source],
    ['contacts.json', 'singleWindowUrl.source', contacts.singleWindowUrl.source],
    ['contacts.json', 'app.source', contacts.app.source],
    ['contacts.json', 'listPublisher.source', contacts.listPublisher.source],
    ['rules.json', 'eligibility.source', rules.eligibility.source],
    ['rules.json', 'coverPeriod.source', rules.coverPeriod.source],
    ['rules.json', 'indemnity.source', rules.indemnity.source],
    ['rules.json', 'freeCreditReports.source', rules.freeCreditReports.source],
    ['risks.json', 'source', risks.source],
    ...policy.sections.flatMap((s, i) => s.also.map((id, j): [string, string, string] => ['policy.md', `sections.${i}.also.${j}（${s.id} 的“一并回答”）`, id])),
    ...outOfScope.topics.flatMap((t, i): Array<[string, string, string]> => (t.source ? [['out-of-scope.json', `topics.${i}.source`, t.source]] : [])),
  ]
  for (const [file, field, id] of refs) {
    if (!sections.has(id)) throw new KnowledgeError(`知识库文件 knowledge/${file} 字段错误：${field} 指向不存在的章节 ${id}`)
  }
  return { policy, sections, managers, contacts, rules, synonyms, outOfScope, risks, streets, countries, wording, dictionary }
}

/** "《doc》section title" — the citation line every answer ends with. */
export function citation(k: Knowledge, sectionId: string): string {
  const s = k.sections.get(sectionId)
  return `来源：《${k.policy.title}》${s ? s.title : ''}`
}

/** Words the segmenter must keep whole: the user dictionary plus every Chinese synonym variant (typos included). */
export function segmenterWords(k: Knowledge): string {
  const variants = [...k.synonyms.groups.flat(), ...k.outOfScope.topics.flatMap((t) => t.terms)].filter((w) => /^[\u4e00-\u9fff]{2,}$/.test(w))
  return [k.dictionary.trim(), ...variants].join('\n')
}
