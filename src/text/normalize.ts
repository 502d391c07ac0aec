import * as OpenCC from 'opencc-js'
import { memoize } from './memo.js'

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' })

/** Canonical form of user or knowledge text: half-width, simplified Chinese, lower-case, single spaces. */
export const normalize = memoize(function normalizeText(text: string): string {
  return toSimplified(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
})

/** Strip markdown symbols a model or an editor might leave, so text reads well in WeChat. */
export function plainText(text: string): string {
  return text
    .replace(/\*\*|__|`+/g, '')
    .replace(/^#+\s*/gm, '')
    .replace(/^\s*[-*]\s+/gm, '· ')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
