import type { TurnContext } from '../../engine/skill.js'

const START = /(我要|我想|想要|要|帮我|申请|需要|想|准备)(在线)?(报损|报案|理赔|索赔|赔偿)|^(报损|报案|在线报损|我要报损)[。.!！]?$|申请(理赔|索赔|赔偿|赔款)|提出索赔|登记损失/
const START_EN =
  /\b(?:report(?:ing)? (?:(?:a|an|the|my|our) )?(?:loss|claim)|file (?:(?:a|an|the|my) )?(?:claim|loss)|(?:lodge|submit|make|open) (?:a |an )?claim)\b/
const ASK_HOW = /怎么|如何|流程|需要什么|要什么|要交什么|交什么|什么资料|什么材料|哪些资料|哪些材料|多久|电话|热线|号码|什么时候|何时|几时|哪里|在哪|谁|什么情况|哪些情况/
// "能帮我报损吗" asks for the form; other questions about reporting ("幾時要報案？") are answered, not started.
const ASKS_FOR_FORM = /(?:帮我|帮忙|给我|能|可以|可不可以|能不能|现在)(?:在线)?(?:报损|报案|理赔|索赔|登记)/
// "要报损吗", "需不需要报案": whether to report is a question for the policy answer, not a request to start.
const SHOULD_I = /(?:要不要|需不需要|用不用|该不该|是不是要|是否要?)(?:在线)?(?:报损|报案|理赔|索赔)|(?:需要|要|应该|该|得)(?:在线)?(?:报损|报案|理赔|索赔)(?:吗|么|不)/
const ASK_HOW_EN = /^(?:how|what|when|where|who|why|which|can|could|do|does|is|are|should|will|would)\b|\?/

/** The user asks to report a loss now ("我要报损", "能帮我报案吗", "I want to report a loss"), not about reporting. */
export function wantsToStart(ctx: TurnContext): boolean {
  return (
    (START.test(ctx.norm) && !ASK_HOW.test(ctx.norm) && !SHOULD_I.test(ctx.norm) && (!ctx.reading.asksInstead() || ASKS_FOR_FORM.test(ctx.norm))) ||
    (START_EN.test(ctx.norm) && !ASK_HOW_EN.test(ctx.norm))
  )
}
