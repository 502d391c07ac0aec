import type { PolicyDoc } from './schema.js'

const HEADING = /^##\s+(.+?)\s*\{#([^}]+)\}\s*$/
// "标签：内容" lines of a section; the body is every other line.
const LABELLED = /^(关键词|英文关键词|英文|只在问到时回答|不一并回答的问法|一并回答的问法|一并回答)[:：]\s*(.*)$/

type RawSection = { title: string; id: string; keywords: string[]; keywordsEn: string[]; body: string; en: string; only: string[]; also: string[]; alsoWhen: string[]; alsoUnless: string[] }

const words = (s: string) => s.split(/\s+/).filter(Boolean)
// Lists that may hold English phrases are separated by commas or 、 ("report a loss, 案例、例子"); 关键词 by spaces.
const phrases = (s: string) => s.split(/[,，、;；]/).map((p) => p.trim()).filter(Boolean)

/**
 * Parse knowledge/policy.md: "# doc title", then "## section title {#id}" blocks. Besides the body, a block may
 * have "关键词：" (searched only), "英文：" (the English lead sentence), "英文关键词：" (English phrases, comma
 * separated, searched only), "只在问到时回答：" (comma-separated words; the section only answers questions using one
 * of them) and "一并回答：" ids with "一并回答的问法：" phrases (sections answered together for a general question)
 * unless the question uses one of the "不一并回答的问法：" words (it names one of them: "网上怎么领").
 */
export function parsePolicyMarkdown(markdown: string): PolicyDoc {
  const text = markdown.replace(/<!--[\s\S]*?-->/g, '')
  let title = ''
  const sections: RawSection[] = []
  let current: RawSection | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line) continue
    const heading = HEADING.exec(line)
    if (heading) {
      current = { title: heading[1]!, id: heading[2]!, keywords: [], keywordsEn: [], body: '', en: '', only: [], also: [], alsoWhen: [], alsoUnless: [] }
      sections.push(current)
      continue
    }
    if (line.startsWith('# ') && !current) {
      title = line.slice(2).trim()
      continue
    }
    if (!current) continue
    const labelled = LABELLED.exec(line)
    if (!labelled) {
      current.body += line
      continue
    }
    const value = labelled[2]!
    switch (labelled[1]) {
      case '关键词':
        current.keywords.push(...words(value))
        break
      case '英文关键词':
        current.keywordsEn.push(...phrases(value))
        break
      case '英文':
        current.en = current.en ? `${current.en} ${value}` : value
        break
      case '只在问到时回答':
        current.only.push(...phrases(value))
        break
      case '一并回答':
        current.also.push(...words(value))
        break
      case '一并回答的问法':
        current.alsoWhen.push(...phrases(value))
        break
      case '不一并回答的问法':
        current.alsoUnless.push(...phrases(value))
        break
    }
  }
  return { title, sections }
}
