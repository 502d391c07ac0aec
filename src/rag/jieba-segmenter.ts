import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'
import type { Segmenter } from './segmenter.js'

/** jieba with its default dictionary plus the domain's user dictionary ("词 [词性]" per line). */
export function createJiebaSegmenter(userDictionary: string): Segmenter {
  const jieba = Jieba.withDict(dict)
  const lines = userDictionary
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    // A high frequency makes jieba keep the domain term whole.
    .map((l) => {
      const [word, tag = 'n'] = l.split(/\s+/)
      return `${word} 100000 ${tag}`
    })
  if (lines.length) jieba.loadDict(Buffer.from(lines.join('\n'), 'utf8'))
  return {
    cut: function jiebaCut(text) {
      return jieba.cut(text, true)
    },
  }
}
