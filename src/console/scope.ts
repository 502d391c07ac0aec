import type { LossReport, StaffAccount } from '../store/types.js'

/*
 * What each role may see and change. hotline: every report, and changes status. manager: only the reports of
 * their districts. admin: everything, plus accounts, the roster and the audit log.
 */

/** Whether this staff member may see (and change) a report of this district. */
export function canSeeDistrict(staff: StaffAccount, district: string): boolean {
  return staff.role !== 'manager' || staff.districts.includes(district)
}

export function canSeeReport(staff: StaffAccount, report: LossReport): boolean {
  return canSeeDistrict(staff, report.district)
}

/** The districts a list may show: a manager's own, or undefined for "all". */
export function visibleDistricts(staff: StaffAccount): string[] | undefined {
  return staff.role === 'manager' ? staff.districts : undefined
}
