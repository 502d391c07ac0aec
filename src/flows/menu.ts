import type { Skill, TurnContext } from '../engine/skill.js'
import { text } from '../engine/types.js'

// The menu in English for a greeting typed in English ("hello", "what can you do?").
const EN_LABELS: Record<string, string> = {
  'policy-qa': 'Policy questions (what is covered, how much is paid, how to get the policy…)',
  eligibility: 'Check whether your firm can join',
  payout: 'Estimate a payout',
  manager: 'Find the account manager for your district',
  claim: 'Report a loss online (buyer not paying, goods refused…); the form is in Chinese',
  'claim-status': 'Check the status of your loss report',
  roster: 'Check whether a firm is on the published list',
}
const english = (ctx: TurnContext) => ctx.lang === 'en' || (/[a-z]/.test(ctx.norm) && !/[\u3400-\u9fff]/.test(ctx.norm))

/** Greeting and help: a short numbered menu built from the skills that have a menu label. */
export function createMenuSkill(getSkills: () => Skill[]): Skill {
  const menuSkills = () => getSkills().filter((s) => s.menuLabel)

  function menu(ctx: TurnContext): string {
    if (english(ctx)) {
      const lines = menuSkills().map((s, i) => `${i + 1}. ${EN_LABELS[s.key] ?? s.menuLabel}`)
      return ["Hello, I answer questions about Shenzhen's blanket export credit insurance policy (统保). I can help you:", ...lines, 'Reply with a number, or just type your question in English or Chinese.'].join('\n')
    }
    const lines = menuSkills().map((s, i) => `${i + 1}. ${s.menuLabel}`)
    return ['您好，我是深圳统保（出口信用保险）政策咨询助手，可以帮您：', ...lines, '回复数字选择，或直接输入您的问题。'].join('\n')
  }

  function choice(ctx: TurnContext): Skill | undefined {
    const m = /^([1-9])$/.exec(ctx.norm)
    return m ? menuSkills()[Number(m[1]) - 1] : undefined
  }

  return {
    key: 'menu',
    transient: true,
    detect: (ctx) => ctx.reading.act === 'greeting' || ctx.reading.act === 'thanks' || choice(ctx) !== undefined,
    handle: async function handleMenu(ctx) {
      if (ctx.reading.act === 'thanks') {
        if (english(ctx) && ctx.norm !== 'ok') return [text('You are welcome! Ask me anything else about the blanket policy, or reply "menu" to see what I can do.')]
        return [text('不客气！还有统保方面的问题随时问我，回复“菜单”可以看我能做什么。')]
      }
      const picked = choice(ctx)
      if (picked) return (picked.start ?? picked.handle)(ctx)
      return [text(menu(ctx))]
    },
  }
}
