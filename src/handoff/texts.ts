import type { Knowledge } from '../knowledge/knowledge.js'
import type { Lang } from '../text/lang.js'

/** What the bot says about handoffs (转人工). Phones come from the knowledge base, never from here. */
export function handoffTexts(knowledge: Knowledge) {
  const policy = knowledge.contacts.policyHotlines.phones
  const claims = knowledge.contacts.claimsHotline.phones
  const phones = (lang: Lang) =>
    lang === 'en'
      ? `the policy consultation lines ${policy.join(', ')} (claims: ${claims.join(', ')})`
      : `政策咨询电话 ${policy.join('、')}（理赔服务电话 ${claims.join('、')}）`

  return {
    phones,
    /** Marks a person's message among the bot's replies. */
    staffPrefix: '人工客服：',
    opened: (lang: Lang, o: { ahead: number; etaMinutes: number; hours: string; pickupMinutes: number }) =>
      lang === 'en'
        ? `I have passed you to our staff.${o.ahead ? ` ${o.ahead} ${o.ahead === 1 ? 'person is' : 'people are'} ahead of you;` : ''} someone should reply within about ${o.etaMinutes} minutes (staffed ${o.hours}).\nEverything you send now goes to them; reply “结束人工” to come back to the bot. If nobody picks up within ${o.pickupMinutes} minutes, I will give you the hotline numbers.`
        : `已为您转接人工客服。${o.ahead ? `前面还有 ${o.ahead} 位在等待，` : ''}预计 ${o.etaMinutes} 分钟内有人回复（人工客服工作时间：${o.hours}）。\n等待期间您发的消息都会转给工作人员；回复“结束人工”可回到机器人。如果 ${o.pickupMinutes} 分钟内没有人接待，我会告诉您热线电话。`,
    alreadyWaiting: (lang: Lang, minutes: number) =>
      lang === 'en'
        ? `You are in the queue for our staff (waiting ${minutes} min); they will reply here. Reply “结束人工” to come back to the bot.`
        : `您已在人工客服队列中（已等待 ${minutes} 分钟），工作人员会在这里回复您。回复“结束人工”可回到机器人。`,
    alreadyTaken: (lang: Lang) =>
      lang === 'en' ? 'A member of our staff is looking after you: just type your question.' : '人工客服正在为您服务，请直接发送您的问题。',
    afterHours: (lang: Lang, o: { hours: string; next: string; asked: boolean }) =>
      lang === 'en'
        ? `Our staff are not in now (staffed ${o.hours}); they will reply after ${o.next}. ${o.asked ? 'Your question has been left for them.' : 'Type your question and I will leave it for them (reply “取消” to leave none).'}\nIf it is urgent, please call ${phones(lang)}.`
        : `现在不是人工客服的工作时间（${o.hours}），工作人员会在${o.next}后回复您。${o.asked ? '您的问题已经留言给工作人员。' : '请直接发送您的问题，我会留言给工作人员（回复“取消”则不留言）。'}\n着急的话可以拨打${phones(lang)}。`,
    messageLeft: (lang: Lang, next: string) =>
      lang === 'en'
        ? `Your message has been left for our staff; they will reply here after ${next}. You can keep asking me meanwhile.`
        : `已留言，工作人员会在${next}后在这里回复您。其他问题可以继续问我。`,
    /** The one acknowledgement while waiting; after it the bot stays quiet. */
    ack: (lang: Lang) =>
      lang === 'en'
        ? 'Passed on to our staff; their reply will appear here. Reply “结束人工” to come back to the bot.'
        : '已转给人工客服，工作人员回复后会在这里显示。回复“结束人工”可回到机器人。',
    /** After an answer to something else (a menu button) while a person is awaited. */
    stillWaiting: (lang: Lang) =>
      lang === 'en' ? '(You are still waiting for our staff; reply “结束人工” to come back to the bot.)' : '（您正在等待人工客服，回复“结束人工”可回到机器人。）',
    endedByUser: (lang: Lang) => (lang === 'en' ? 'Done: you are back with the bot. Ask me anything.' : '已结束人工客服，您可以继续向我提问。'),
    notInHandoff: (lang: Lang) => (lang === 'en' ? 'You are not talking to our staff now. Reply “转人工” if you would like to.' : '您现在没有在等待人工客服。需要的话请回复“转人工”。'),
    closedByStaff: '人工客服已结束本次服务。您可以继续向我提问，需要时再回复“转人工”。',
    timedOut: (lang: Lang, minutes: number) =>
      lang === 'en'
        ? `Sorry, nobody from our staff could pick up within ${minutes} minutes. Your messages are kept for them and they will reply here. If it is urgent, please call ${phones(lang)}. Meanwhile I will keep answering.`
        : `抱歉，${minutes} 分钟内暂时没有人工客服接待。您的消息已留给工作人员，他们看到后会在这里回复您；着急的话请拨打${phones(lang)}。我先继续为您解答。`,
    offer: (lang: Lang) =>
      lang === 'en'
        ? 'I could not answer two questions in a row. Would you like a member of our staff to help? Reply “转人工”.'
        : '我连续两次没能回答您的问题。需要人工客服帮忙吗？回复“转人工”即可。',
    /** The store is down while the user talks to a person: their message did not reach the handoff. */
    notPassedOn: (lang: Lang) =>
      lang === 'en'
        ? `Sorry, our system has a problem just now: your last message could not be passed on to our staff. Please send it again in a moment. If it is urgent, please call ${phones(lang)}.`
        : `抱歉，系统暂时出了点问题，您刚才这条消息没能转给人工客服，请稍后再发一次。着急的话请拨打${phones(lang)}。`,
    groupOnly: '人工客服只在私聊中提供：请私聊我，发送“转人工”。',
    unavailable: (lang: Lang) =>
      lang === 'en' ? `Our staff cannot be reached online here. Please call ${phones(lang)}.` : `这里暂时不能在线转人工，请拨打${phones(lang)}。`,
  }
}

export type HandoffTexts = ReturnType<typeof handoffTexts>
