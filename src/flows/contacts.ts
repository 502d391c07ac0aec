import type { Skill } from '../engine/skill.js'
import { text } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import type { Contacts } from '../knowledge/schema.js'

const ASKS_PHONE = /电话|热线|号码|联系方式|怎么联系|联系谁|客服|打给谁|人工/
const CLAIMS = /理赔|索赔|报案|报损|出险|赔/
const SINGLE_WINDOW = /单一窗口|线上|网上|在线|技术支持|系统|平台|网站/

type Line = Contacts['policyHotlines']

/** "电话多少": the hotlines from contacts.json, picked by what the question is about, each with its source. */
export function createContactsSkill({ knowledge }: { knowledge: Knowledge }): Skill {
  const c = knowledge.contacts
  const show = (lines: Line[]) =>
    lines.map((l) => `${l.label}：${l.phones.join('、')}\n${citation(knowledge, l.source)}`).join('\n\n')

  return {
    key: 'contacts',
    detect: (ctx) => ASKS_PHONE.test(ctx.norm),
    handle: function answerContacts(ctx) {
      if (CLAIMS.test(ctx.norm)) return [text(`${show([c.claimsHotline])}\n也可以回复“报损”，由我在线登记。`)]
      if (SINGLE_WINDOW.test(ctx.norm)) return [text(show([c.singleWindowSupport]))]
      return [text(`${show([c.policyHotlines, c.singleWindowSupport, c.claimsHotline])}\n\n各区客户经理的电话，请告诉我您公司所在的区。`)]
    },
  }
}
