// What users say inside the loss-report form: cancel, back, continue, start again, corrections, edits, confirmations.
import type { SlotKey } from './fields.js'

export const CANCEL = /^(取消|不报了|算了|不填了|退出|放弃|取消报损|取消报案)[。.!！]*$/
export const BACK = /^(上一步|返回上一步|上一题|返回|后退)[。.!！]*$/
export const CONTINUE = /^(继续|接着填|继续填|继续吧|好|好的|是|嗯)[。.!！]*$/
export const CONTINUE_WORD = /^(继续|接着填|继续填|继续吧)[。.!！]*$/
// Mid-form, only the bare command means "start again"; "买家不付款，我要索赔" still answers the question asked.
export const START_ONLY = /^(?:我|我们)?(?:要|想|想要|需要|申请|准备|帮我)?(?:在线)?(?:报损|报案|理赔|索赔)(?:一下)?[。.!！]*$/
export const START_ONLY_EN = /^(?:(?:i|we) (?:want|would like|need|'d like) to |please |i'd like to )?(?:report (?:a |the )?(?:loss|claim)|file (?:a |the )?claim)[.!]*$/
export const CORRECTION = /^(?:把|将)?(.{1,12}?)(?:改成|改为|更正为|修改为|换成|应该是|应为)[:：]?\s*(.+)$/
export const EDIT = /^(?:我?要|需要|想)?(?:修改|更改|改一下|改)(.{1,12})$/
export const BARE_REFUSE = /^(不对|有错|错了|写错了|填错了|要改|需要改|需要修改|我要改|改一下)[了。.!！]*$/
export const FIELD_LEAD = /^(?:(?:不对|不是|有错|错了)[，,\s]*)?(?:把|将)?(?:我们的|我的|贵司的|我司的)?/
export const EDIT_AFTER = /^(.{1,12}?)(?:不对|有错|错了|写错了|填错了|要改|需要改|需要修改)[了。.!！]*$/
export const EDIT_HELP = '好的，请告诉我要改哪一项、改成什么，例如“金额改成13万美元”“电话改成13800138000”“买方名称改成ACME Co., Ltd.”；也可以回复“修改联系人”重新填写那一项。'
export const EN_NOTE = 'The form below is in Chinese. You can answer in English: names (company, buyer, bank, contact) are kept exactly as you type them.'
// Free-text answers are taken whole; scanning them for other facts would misread a company or buyer name.
// The buyer's name is scanned only when the answer states more than the name ("德国的Gamma公司，欠12万美元").
export const FREE_TEXT = new Set<SlotKey>(['company', 'contactName', 'description', 'issuingBank', 'creditCode', 'phone', 'policyNo'])
// With the store down and the user unknown to this instance, these still can only be a form's last step.
export const SUBMIT_WORD = /^(?:确认|确认无误|确认提交|确定提交|提交|可以提交|马上提交|现在提交|confirm|submit)[。.!！]*$/i
