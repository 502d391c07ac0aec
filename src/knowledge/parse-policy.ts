import type { PolicyDoc } from './schema.js'

const HEADING = /^##\s+(.+?)\s*\{#([^}]+)\}\s*$/
const KEYWORDS = /^关键词[:：]\s*(.*)$/

/** Parse knowledge/policy.md: "# doc title", then "## section title {#id}" blocks with an optional 关键词 line. */
export function parsePolicyMarkdown(markdown: string): PolicyDoc {
  const text = markdown.replace(/<!--[\s\S]*?-->/g, '')
  let title = ''
  const sections: PolicyDoc['sections'] = []
  let current: PolicyDoc['sections'][number] | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line) continue
    const heading = HEADING.exec(line)
    if (heading) {
      current = { title: heading[1]!, id: heading[2]!, keywords: [], body: '' }
      sections.push(current)
      continue
    }
    if (line.startsWith('# ') && !current) {
      title = line.slice(2).trim()
      continue
    }
    if (!current) continue
    const keywords = KEYWORDS.exec(line)
    if (keywords) {
      current.keywords.push(...keywords[1]!.split(/\s+/).filter(Boolean))
      continue
    }
    current.body += line
  }
  return { title, sections }
}
