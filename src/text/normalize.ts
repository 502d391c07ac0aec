import * as OpenCC from 'opencc-js'
import { memoize } from './memo.js'

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' })

/**
 * Traditional characters to simplified, one for one: the same length and every index still at the same character,
 * for readers that report positions (amounts). Where the conversion would change the length (a phrase mapped to
 * a longer or shorter one), the text is returned as it is.
 */
export const simplifiedInPlace = memoize(function simplifiedInPlace(text: string): string {
  const out = toSimplified(text)
  return out.length === text.length ? out : text
})

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
