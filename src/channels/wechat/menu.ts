/** The custom menu (npm run wechat:menu) and what each button starts. */
export const MENU_INTENTS: Record<string, string> = {
  MENU_QA: 'policy-qa',
  MENU_ELIGIBILITY: 'eligibility',
  MENU_PAYOUT: 'payout',
  MENU_MANAGER: 'manager',
  MENU_CLAIM: 'claim',
  MENU_STATUS: 'claim-status',
}

export const WECHAT_MENU = {
  button: [
    {
      name: '政策咨询',
      sub_button: [
        { type: 'click', name: '政策问答', key: 'MENU_QA' },
        { type: 'click', name: '能否参加统保', key: 'MENU_ELIGIBILITY' },
        { type: 'click', name: '赔付测算', key: 'MENU_PAYOUT' },
      ],
    },
    { type: 'click', name: '找客户经理', key: 'MENU_MANAGER' },
    {
      name: '报损',
      sub_button: [
        { type: 'click', name: '在线报损', key: 'MENU_CLAIM' },
        { type: 'click', name: '查报案进度', key: 'MENU_STATUS' },
      ],
    },
  ],
}
