import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildKnowledge, KnowledgeError, type KnowledgeFiles } from '../src/knowledge/knowledge.js'

function files(): KnowledgeFiles {
  const out: KnowledgeFiles = {}
  for (const f of readdirSync('knowledge').filter((f) => /\.(md|json|txt)$/.test(f))) out[f] = readFileSync(`knowledge/${f}`, 'utf8')
  return out
}

const seed = readFileSync('knowledge/source/policy-brief.txt', 'utf8').replace(/\s+/g, '')

// Every number the brief states, as a value: "15万" → 150000, "180余万" → 1800000, "1.5" → 1.5.
const seedValues = new Set(
  [...seed.matchAll(/(\d+(?:\.\d+)?)(余)?(万)?/g)].flatMap((m) => {
    const n = Number(m[1])
    return m[3] ? [n, Math.round(n * 10000)] : [n]
  }),
)

/** The numbers an English sentence states, as values: "USD 150,000" → 150000, "USD 8 million" → 8000000. */
function englishValues(sentence: string): number[] {
  return [...sentence.replace(/https?:\/\/\S+/g, '').matchAll(/(\d[\d,]*(?:\.\d+)?)(\s*million)?/g)].map((m) => {
    const n = Number(m[1]!.replace(/,/g, ''))
    return m[2] ? Math.round(n * 1_000_000) : n
  })
}

describe('knowledge base', () => {
  it('loads every section with a stable id and a title', () => {
    const k = buildKnowledge(files())
    expect(k.policy.title).toBe('2020年出口额800万美元以下企业统保政策简介')
    expect([...k.sections.keys()]).toEqual(
      expect.arrayContaining(['core', 'list', 'collect-online', 'collect-offline', 'scope', 'risks', 'amount', 'period', 'services', 'app', 'report', 'case-1', 'case-2', 'contacts']),
    )
  })

  it('lists the account managers exactly as the policy brief does', () => {
    const k = buildKnowledge(files())
    const byDistrict = new Map(k.managers.groups.flatMap((g) => g.districts.map((d) => [d, g.managers.map((m) => `${m.name} ${m.phones.join('/')}`)])))
    expect(byDistrict.get('南山区')).toEqual(['金悠 18813671303', '钟旭阳 18802680886'])
    expect(byDistrict.get('前海深港合作区')).toEqual(['金悠 18813671303', '钟旭阳 18802680886'])
    expect(byDistrict.get('大鹏新区')).toEqual(['王清莹 88325614/15989432562'])
    expect(byDistrict.get('宝安区')).toEqual(['吕宇翔 13699865957'])
    expect(byDistrict.get('深汕特别合作区')).toEqual(['林石洁 13652439164'])
    expect(byDistrict.size).toBe(12)
  })

  it('holds no phone number, URL or rule number the policy brief does not state', () => {
    const k = buildKnowledge(files())
    const phones = [
      ...k.managers.groups.flatMap((g) => g.managers.flatMap((m) => m.phones)),
      ...k.contacts.policyHotlines.phones,
      ...k.contacts.claimsHotline.phones,
      ...k.contacts.singleWindowSupport.phones,
    ]
    for (const p of phones) expect(seed).toContain(p)
    expect(seed).toContain(k.contacts.singleWindowUrl.url)
    for (const s of k.policy.sections) for (const n of s.body.match(/\d+(\.\d+)?/g) ?? []) expect(seed, `${s.id}: ${n}`).toContain(n)
    expect(seed).toContain(`${k.rules.eligibility.maxExportsUsd / 10000}万美元`)
    expect(seed).toContain(`${k.rules.indemnity.ratio * 100}%`)
    expect(seed).toContain(`${k.rules.indemnity.limitPerBuyerUsd / 10000}万美元`)
  })

  it('says nothing in English, or in an off-topic note, that the brief does not state', () => {
    const k = buildKnowledge(files())
    const english = [...k.policy.sections.map((s) => [s.id, s.en]), ...k.outOfScope.topics.map((t) => [t.name, t.noteEn ?? ''])]
    for (const [id, sentence] of english) {
      for (const v of englishValues(sentence!)) expect(seedValues.has(v), `${id}: ${v} in “${sentence}”`).toBe(true)
      for (const url of sentence!.match(/https?:\/\/[^\s)]+/g) ?? []) expect(seed, id).toContain(url)
      // A phone number must appear digit for digit.
      for (const phone of sentence!.match(/\d{7,}/g) ?? []) expect(seed, id).toContain(phone)
    }
    for (const t of k.outOfScope.topics) for (const n of t.note?.match(/\d+(\.\d+)?/g) ?? []) expect(seed, `${t.name}: ${n}`).toContain(n)
    // The key fact of the answer is in its English lead.
    expect(k.sections.get('amount')!.en).toMatch(/80%.*USD 150,000/)
    expect(k.sections.get('period')!.en).toContain('88325700')
    expect(k.sections.get('services')!.en).toContain('3 overseas buyer credit reports')
  })

  it('gives every section an English lead, and refuses a section without one, naming it', () => {
    const k = buildKnowledge(files())
    for (const s of k.policy.sections) expect(s.en.length, s.id).toBeGreaterThan(20)
    const broken = files()
    broken['policy.md'] = broken['policy.md']!.replace(/^英文：.*\n/m, '')
    expect(() => buildKnowledge(broken)).toThrow(/policy\.md.*sections\.0\.en/)
  })

  it('reads the answering rules of a section: case studies only for case questions, the services group together', () => {
    const k = buildKnowledge(files())
    expect(k.sections.get('case-1')!.only).toContain('案例')
    expect(k.sections.get('services')!.also).toEqual(['app', 'online-services'])
    expect(k.sections.get('services')!.alsoWhen).toContain('free service')
    const broken = files()
    broken['policy.md'] = broken['policy.md']!.replace('一并回答：app online-services', '一并回答：app online-service')
    expect(() => buildKnowledge(broken)).toThrow(/policy\.md.*services.*online-service/)
  })

  it('refuses a broken file and names the file and the field', () => {
    const broken = files()
    const managers = JSON.parse(broken['managers.json']!)
    managers.groups[1].managers[0].phones[0] = '8832-5614'
    broken['managers.json'] = JSON.stringify(managers)
    expect(() => buildKnowledge(broken)).toThrow(KnowledgeError)
    expect(() => buildKnowledge(broken)).toThrow(/managers\.json.*groups\.1\.managers\.0\.phones\.0/)
  })

  it('refuses a reference to a section that does not exist', () => {
    const broken = files()
    broken['rules.json'] = broken['rules.json']!.replace('"source": "amount"', '"source": "amounts"')
    expect(() => buildKnowledge(broken)).toThrow(/rules\.json.*indemnity\.source.*amounts/)
  })

  it('refuses invalid JSON with the file name', () => {
    const broken = files()
    broken['contacts.json'] = '{ "policyHotlines": '
    expect(() => buildKnowledge(broken)).toThrow(/contacts\.json/)
  })
})
