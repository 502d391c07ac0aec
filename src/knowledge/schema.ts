import { z } from 'zod'

const phone = z.string().regex(/^\d{7,12}$/, '电话号码应为 7 到 12 位数字')
const sectionRef = z.string().min(1)

export const sectionSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'id 只能用小写字母、数字和连字符'),
  title: z.string().min(1),
  /** Words people use in questions ("关键词：" line); searched, never shown. */
  keywords: z.array(z.string()),
  /** English phrases people use in questions ("英文关键词：" line); searched for English questions only. */
  keywordsEn: z.array(z.string()).default([]),
  body: z.string().min(1),
  /** One English sentence carrying the section's key fact ("英文：" line): the lead of an English answer. */
  en: z
    .string()
    .min(20, '每节都要有一句“英文：”说明（英文回答的开头）')
    .refine((t) => (t.match(/[a-z]/gi)?.length ?? 0) > 4 * (t.match(/[\u4e00-\u9fff]/g)?.length ?? 0), '“英文：”一行应以英文为主（人名、APP 名可保留中文）'),
  /** "只在问到时回答：" — the section answers only questions using one of these words (case studies). */
  only: z.array(z.string().min(1)).default([]),
  /** "一并回答：" — sections shown together with this one when the question asks about the whole topic… */
  also: z.array(z.string().min(1)).default([]),
  /** …which it does when it uses one of these phrases ("一并回答的问法："). */
  alsoWhen: z.array(z.string().min(1)).default([]),
  /** …and does not use one of these ("不一并回答的问法："), which name one section of the group ("网上怎么领"). */
  alsoUnless: z.array(z.string().min(1)).default([]),
})
export type Section = z.infer<typeof sectionSchema>

export const policySchema = z.object({
  title: z.string().min(1),
  sections: z.array(sectionSchema).min(1),
})
export type PolicyDoc = z.infer<typeof policySchema>

export const managersSchema = z.object({
  source: sectionRef,
  groups: z
    .array(
      z.object({
        districts: z.array(z.string().min(2)).min(1),
        managers: z.array(z.object({ name: z.string().min(1), phones: z.array(phone).min(1) })).min(1),
      }),
    )
    .min(1),
})
export type ManagersFile = z.infer<typeof managersSchema>

const phones = z.object({ label: z.string().min(1), phones: z.array(phone).min(1), source: sectionRef })
export const contactsSchema = z.object({
  policyHotlines: phones,
  singleWindowSupport: phones,
  claimsHotline: phones,
  singleWindowUrl: z.object({ url: z.url(), source: sectionRef }),
  app: z.object({ name: z.string().min(1), source: sectionRef }),
  listPublisher: z.object({ name: z.string().min(1), source: sectionRef }),
  insurer: z.object({ name: z.string().min(1), short: z.string().min(1) }),
})
export type Contacts = z.infer<typeof contactsSchema>

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '应为 YYYY-MM')
export const rulesSchema = z.object({
  eligibility: z.object({
    year: z.number().int(),
    maxExportsUsd: z.number().positive(),
    inclusive: z.boolean(),
    source: sectionRef,
  }),
  coverPeriod: z.object({ from: yearMonth, to: yearMonth, source: sectionRef }),
  indemnity: z.object({
    ratio: z.number().gt(0).lte(1),
    limitPerBuyerUsd: z.number().positive(),
    source: sectionRef,
  }),
  policyTermYears: z.number().positive(),
  freeCreditReports: z.object({ count: z.number().int().nonnegative(), source: sectionRef }),
})
export type Rules = z.infer<typeof rulesSchema>

export const synonymsSchema = z.object({
  comment: z.string().optional(),
  groups: z.array(z.array(z.string().min(1)).min(2)),
})
export type SynonymsFile = z.infer<typeof synonymsSchema>

export const outOfScopeSchema = z.object({
  comment: z.string().optional(),
  topics: z.array(
    z.object({
      name: z.string().min(1),
      /** The topic's name in an English answer. */
      nameEn: z.string().min(1).optional(),
      terms: z.array(z.string().min(1)).min(1),
      /** What the brief does say next to the topic (its own words, no new facts), shown before the phones. */
      note: z.string().min(1).optional(),
      noteEn: z.string().min(1).optional(),
      /** The section the note is taken from, cited with it. */
      source: z.string().min(1).optional(),
    }),
  ),
})
export type OutOfScopeFile = z.infer<typeof outOfScopeSchema>

export const riskKindSchema = z.object({
  id: z.string().regex(/^[a-z-]+$/),
  type: z.enum(['commercial', 'political']),
  party: z.enum(['buyer', 'bank', 'country']),
  label: z.string().min(1),
  words: z.array(z.string().min(1)).min(1),
})
export type RiskKind = z.infer<typeof riskKindSchema>

export const risksSchema = z.object({
  comment: z.string().optional(),
  source: sectionRef,
  kinds: z.array(riskKindSchema).min(1),
  notCovered: z.object({ comment: z.string().optional(), words: z.array(z.string().min(1)) }),
})
export type RisksFile = z.infer<typeof risksSchema>

export const countriesSchema = z.object({
  comment: z.string().optional(),
  regions: z.array(z.object({ name: z.string().min(2), aliases: z.array(z.string().min(2)) })).min(1),
})
export type CountriesFile = z.infer<typeof countriesSchema>

/** knowledge/wording.json: how users say things, as phrase lists (read by src/understand). */
const wordingPhrases = z.array(z.string().min(1)).min(1)

export const wordingSchema = z.object({
  comment: z.string().optional(),
  acts: z.object({
    yes: wordingPhrases,
    accept: wordingPhrases,
    no: wordingPhrases,
    thanks: wordingPhrases,
    greeting: wordingPhrases,
    politeness: wordingPhrases,
    correction: wordingPhrases,
    correctionInside: wordingPhrases,
    question: wordingPhrases,
    questionLead: wordingPhrases,
    leaning: wordingPhrases,
    complaint: wordingPhrases,
    person: wordingPhrases,
    personAlone: wordingPhrases,
    reference: wordingPhrases,
  }),
  facts: z.object({
    lc: wordingPhrases,
    notLc: wordingPhrases,
  }),
})
export type WordingFile = z.infer<typeof wordingSchema>
