import { escapeRegExp } from './terms.js'

/**
 * Colloquial, Cantonese and common-typo wording → the standard words the skills and the retriever know.
 * Applied to normalised (simplified, lower-case) text, so 唔俾錢 arrives here as 唔俾钱. Longer phrases win.
 * Only unambiguous pieces are listed: 系 alone is 关系's 系, so only 系咪/系唔系 are rewritten.
 */
const REWRITES: Record<string, string> = {
  // homophone typos of the domain words
  陪付: '赔付', 陪偿: '赔偿', 陪款: '赔款', 陪钱: '赔钱', 理陪: '理赔', 索陪: '索赔', 获陪: '获赔',
  能陪: '能赔', 兜底多少: '赔多少', 能兜多少: '能赔多少', cover多少: '赔多少', 赔几多: '赔多少', 陪多少: '赔多少', 陪几成: '赔几成', 陪不陪: '赔不赔', 比列: '比例', 陪率: '赔率',
  报孙: '报损', 报顺: '报损', 统包: '统保', 统宝: '统保', 统报: '统保', 客服经理: '客户经理',
  // Cantonese
  几多钱: '多少钱', 几多: '多少', 几时: '什么时候', 几耐: '多久', 保多耐: '保多久', 多耐: '多久', 几长时间: '多长时间',
  边个: '谁', 边位: '哪位', 边度: '哪里', 边间: '哪家', 边区: '哪个区', 点样: '怎么', 点算: '怎么办', 点办: '怎么办',
  乜嘢: '什么', 咩嘢: '什么', 咩: '什么', 系咪: '是不是', 系唔系: '是不是', 系边: '是哪',
  唔俾钱: '不给钱', 唔畀钱: '不给钱', 唔找数: '不付款', 唔还钱: '不还钱', 唔付款: '不付款', 冇钱还: '没钱还',
  收唔到钱: '收不到钱', 收唔返: '收不回', 走佬: '跑路', 执笠: '倒闭', 拖数: '拖欠', 赖数: '赖账',
  可唔可以: '可不可以', 能唔能: '能不能', 得唔得: '行不行', 赔唔赔: '赔不赔', 保唔保: '保不保', 有冇: '有没有',
  算唔算: '算不算', 使唔使: '需不需要', 洗唔洗: '需不需要', 识唔识: '会不会',
  冇: '没有', 唔: '不', 俾: '给', 畀: '给', 咗: '了', 嘅: '的', 佢哋: '他们', 我哋: '我们', 你哋: '你们', 佢: '他',
  喺: '在', 揾: '找', 啲: '些', 咁: '这么',
}

const KEYS = Object.keys(REWRITES).sort((a, b) => b.length - a.length)
const PATTERN = new RegExp(KEYS.map(escapeRegExp).join('|'), 'g')
const ANY = new RegExp(`[${[...new Set(KEYS.map((k) => k[0]))].join('')}]`)

/** Rewrite colloquial, Cantonese and typo wording in normalised text into standard Chinese. */
export function standardWording(norm: string): string {
  return ANY.test(norm) ? norm.replace(PATTERN, (m) => REWRITES[m]!) : norm
}
