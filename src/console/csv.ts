import { displayText } from '../text/display.js'
import { latestNote, staffStatus } from '../flows/claim/status-text.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { PlaceResolver } from '../policy/places.js'
import type { LossReport } from '../store/types.js'
import { chinaTime, estimatedPayout, reportAmount, reportFields } from './report-view.js'

/*
 * The filtered report list as CSV for Sinosure's own systems: UTF-8 with a BOM (Excel otherwise reads it as the
 * local code page), CRLF rows, every field quoted when it must be. A cell that starts like a formula (= + - @,
 * their full-width forms, tab, CR) gets a leading apostrophe: a buyer named "=HYPERLINK(…)" must not become a live formula in Excel.
 */
// Full-width ＝＋－＠ too: spreadsheet programs fold them to the ASCII signs when a cell is typed or imported.
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/

function cell(v: string | number | undefined): string {
  if (v === undefined) return ''
  if (typeof v === 'number') return String(v)
  const shown = displayText(v)
  const safe = FORMULA_START.test(shown) ? `'${shown}` : shown
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

const FIELD_COLUMNS = ['company', 'creditCode', 'contactName', 'phone', 'policyNo', 'buyerName', 'buyerCountry', 'lc', 'issuingBank', 'cause', 'declaredAt', 'ownName', 'dueDate', 'description'] as const

/** The CSV text (BOM included) of these reports, one row each. */
export function reportsCsv(reports: LossReport[], deps: { knowledge: Knowledge; places: PlaceResolver }): string {
  const header = ['报案编号', '提交时间', '状态', '所在区', '企业名称', '统一社会信用代码', '联系人', '联系电话', '保单号', '买方名称', '买方所在国家或地区', '是否信用证结算', '开证行', '损失原因', '报关出口时间', '以本企业名义签约并报关', '付款到期日', '情况说明', '未付金额', '币种', '预计赔付', '需核实', '最新说明', '更新时间', '渠道']
  const rows = reports.map((r) => {
    const shown = Object.fromEntries(reportFields(r, deps).map((f) => [f.key, f.value]))
    const amount = reportAmount(r)
    const payout = estimatedPayout(deps.knowledge, r)
    return [
      r.id,
      chinaTime(r.createdAt),
      staffStatus(r),
      r.district,
      ...FIELD_COLUMNS.map((k) => shown[k] ?? ''),
      amount?.value,
      amount?.currency,
      payout?.value,
      r.flags.join('；'),
      latestNote(r) ?? '',
      chinaTime(r.updatedAt),
      r.channel,
    ]
  })
  return `\ufeff${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`
}
