import { describe, expect, it } from 'vitest'
import { asksQuestion } from '../../src/text/question.js'
import {
  isWaiting,
  keepName,
  nameProblem,
  parseConfirmation,
  parsePersonName,
  parsePolicyNo,
} from '../../src/policy/contact-fields.js'
import { wordingOf } from '../../src/understand/acts.js'
import { normalize } from '../../src/text/normalize.js'
import { realKnowledge } from '../helpers/bot.js'

const { acts } = wordingOf(realKnowledge().knowledge.wording)
// The claim form's yes/no questions are questions of fact: "好的" says neither.
const parseYesNo = (t: string) => acts.answer(normalize(t), 'fact')

// Only what the tests need of a place resolver: the place name found in the text.
const placeOf = (n: string) => ['宝安区', '宝安', '沙井', '南山'].find((p) => n.includes(p))

describe('yes/no answers', () => {
  it('takes 是/是的/对/yes as yes and 不是/没有/no as no', () => {
    for (const yes of ['是', '是的', '对', '对的', '是，信用证', 'yes', 'Yes', '嗯，是的']) expect(parseYesNo(yes), yes).toBe(true)
    for (const no of ['不是', '没有', '否', '不是，电汇', 'no']) expect(parseYesNo(no), no).toBe(false)
  })

  it('does not take a filler as yes', () => {
    for (const unclear of ['好的', '嗯', '嗯嗯', 'ok', '好', '收到', '行']) expect(parseYesNo(unclear), unclear).toBeUndefined()
  })
})

describe('confirming the summary', () => {
  it('accepts natural confirmations', () => {
    for (const yes of ['确认', '确认无误，提交', '没问题，提交吧', '确认提交', '可以，提交', '对的', '好，提交', 'yes, submit', '那就提交吧', 'OK', 'Submit it.', 'looks good']) {
      expect(parseConfirmation(yes), yes).toBe(true)
    }
  })

  it('reads 不对/要改/有错 as a wish to change something', () => {
    for (const no of ['不对', '要改', '有错', '不对，有地方要改', '需要修改', 'no', 'wrong']) expect(parseConfirmation(no), no).toBe(false)
  })

  it('leaves anything else unclear', () => {
    for (const unclear of ['嗯', '先不提交', '等会儿', '金额呢', '']) expect(parseConfirmation(unclear), unclear).toBeUndefined()
  })
})

describe('a question instead of an answer', () => {
  it('recognises questions however they are asked', () => {
    for (const q of ['等一下，理赔电话是多少', '这个要多久', '赔付比例是多少来着', '请问保单号在哪里看', '能赔么', '那宝安呢', '电话呢', "what's the claims phone number", 'How long does it take', '理赔电话？']) {
      expect(asksQuestion(q), q).toBe(true)
    }
  })

  it('does not mistake an answer for a question', () => {
    for (const a of ['深圳市示例电子科技有限公司', '买家拖欠货款', '不是，是通过香港公司签的', '还没到期呢', '12.5万美元', '2021年9月', 'Gamma Trading GmbH', '多次催收无果', 'Who Cares Ltd', 'Whatman plc']) {
      expect(asksQuestion(a), a).toBe(false)
    }
  })

  it('in a description, only a plain question counts', () => {
    expect(asksQuestion('买家一直拖着不付款，催了三次，不知道怎么办才好', true)).toBe(false)
    expect(asksQuestion('这个要多久', true)).toBe(true)
    expect(asksQuestion('这个大概多久能办完', true)).toBe(true)
    expect(asksQuestion('买家说下个月付，可信吗', true)).toBe(true)
    expect(asksQuestion('买家说货有问题？我们不认同，已经催收三次，对方一直不回复', true)).toBe(false)
    expect(asksQuestion('买家说货有问题？我们不认同，已经催收三次，对方一直不回复')).toBe(true)
  })
})

describe('names', () => {
  it('names the reason a message is not a name', () => {
    const cases: Array<[string, string]> = [
      ['宝安区', 'place'],
      ['在沙井', 'place'],
      ['是', 'yesno'],
      ['不是', 'yesno'],
      ['对', 'yesno'],
      ['好的', 'filler'],
      ['嗯', 'filler'],
      ['ok', 'filler'],
      ['收到', 'filler'],
      ['稍等', 'filler'],
      ['12345', 'number'],
      ['8万美元', 'amount'],
      ['USD 120,000', 'amount'],
      ['理赔电话是多少', 'question'],
      ['赔付比例', 'question'],
    ]
    for (const [text, problem] of cases) expect(nameProblem(text, placeOf), text).toBe(problem)
  })

  it('accepts firm and person names, including ones that contain a place or a question word', () => {
    for (const name of ['深圳市宝安区某某电子有限公司', 'Gamma Trading GmbH', 'ACME Co., Ltd.', '张三', 'Zhang San', '中国出口信用保险公司', 'Deutsche Bank AG', '南山贸易有限公司']) {
      expect(nameProblem(name, placeOf), name).toBeUndefined()
    }
  })

  it('a request for a moment is not an answer', () => {
    for (const w of ['稍等', '等一下，我查查', '我找一下再发你', 'hold on']) expect(isWaiting(w), w).toBe(true)
    for (const a of ['等一下，理赔电话是多少', '深圳市等一下科技有限公司，我们的全称很长很长的', '张三']) expect(isWaiting(a), a).toBe(false)
  })

  it('keeps a name exactly as given, dropping only an intro and end marks', () => {
    expect(keepName('ACME Co., Ltd.')).toBe('ACME Co., Ltd.')
    expect(keepName('Gamma Trading GmbH')).toBe('Gamma Trading GmbH')
    expect(keepName('深圳市某某电子有限公司。')).toBe('深圳市某某电子有限公司')
    expect(keepName('是深圳市某某电子有限公司')).toBe('深圳市某某电子有限公司')
    expect(keepName('我们公司叫深圳市某某电子有限公司')).toBe('深圳市某某电子有限公司')
    expect(keepName('买方是ACME Co., Ltd.')).toBe('ACME Co., Ltd.')
    expect(keepName('“Beta GmbH & Co. KG”')).toBe('Beta GmbH & Co. KG')
    expect(keepName('是德科技有限公司')).toBe('是德科技有限公司')
  })

  it('a person name is never a place or a filler', () => {
    expect(parsePersonName('张三')).toBe('张三')
    expect(parsePersonName('我叫李四')).toBe('李四')
    expect(parsePersonName('宝安区', placeOf)).toBeUndefined()
    expect(parsePersonName('好的')).toBeUndefined()
    expect(parsePersonName('不是')).toBeUndefined()
  })
})

describe('policy numbers', () => {
  it('needs digits; a skip in Chinese or English is null', () => {
    expect(parsePolicyNo('PB123456')).toBe('PB123456')
    expect(parsePolicyNo('ACME Co., Ltd.')).toBeUndefined()
    for (const skip of ['没有', '不记得了', 'no', 'none', "don't know"]) expect(parsePolicyNo(skip), skip).toBeNull()
  })
})

describe('speed', () => {
  it('checks a 1000-character message quickly', () => {
    const inputs = ['a'.repeat(1000), '好的，'.repeat(333), 'Ab.'.repeat(333), '？'.repeat(1000), '是'.repeat(1000)]
    for (const t of inputs) {
      const t0 = performance.now()
      asksQuestion(t)
      nameProblem(t, placeOf)
      keepName(t)
      parseConfirmation(t)
      parseYesNo(t)
      expect(performance.now() - t0, t.slice(0, 6)).toBeLessThan(50)
    }
  })
})
