import type { StaffRole } from '../store/types.js'

/** One entry of the console's top navigation. */
export interface NavItem {
  href: string
  label: string
  /** Roles that see it; all roles when absent. */
  roles?: StaffRole[]
}

/**
 * The console's pages, in menu order. A new page adds its entry here (and its routes in console.ts);
 * the entry whose href starts the current path is highlighted.
 */
export const NAV: NavItem[] = [
  { href: '/console/lookup', label: '查询' },
  { href: '/console/reports', label: '报案' },
  { href: '/console/handoffs', label: '人工客服' },
  { href: '/console/unanswered', label: '未答问题', roles: ['hotline', 'admin'] },
  { href: '/console/staff', label: '账号', roles: ['admin'] },
  { href: '/console/roster', label: '名单', roles: ['admin'] },
  { href: '/console/audit', label: '操作记录', roles: ['admin'] },
]
