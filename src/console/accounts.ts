import type { AuditLog, StaffAccount, StaffChange, StaffRole, StaffStore } from '../store/types.js'

/** Hashes and checks staff passwords. The console receives one (password-node.ts on Node), so its own code needs no Node API. */
export interface PasswordHasher {
  hash(password: string): Promise<string>
  verify(password: string, stored: string): Promise<boolean>
}

export const ROLES: readonly StaffRole[] = ['hotline', 'manager', 'admin']
export const ROLE_LABEL: Record<StaffRole, string> = { hotline: '热线坐席', manager: '客户经理', admin: '管理员' }
export const MIN_PASSWORD = 10
const MAX_PASSWORD = 200
/** Usernames as stored (after normalizeUsername). */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/

/** A request the account rules refuse; the message is for the person who made it. */
export class AccountError extends Error {
  override name = 'AccountError'
}

/** Why a password is not acceptable, or undefined. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD) return `密码至少 ${MIN_PASSWORD} 位`
  if (password.length > MAX_PASSWORD) return `密码不能超过 ${MAX_PASSWORD} 位`
  if (/^(.)\1*$/.test(password)) return '密码不能是同一个字符重复'
  return undefined
}

/** Usernames are compared lower-case: "Zhang" and "zhang" are one account. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase()
}

export interface AccountsDeps {
  staff: StaffStore
  audit: AuditLog
  hasher: PasswordHasher
  /** Every district a manager may be given (the knowledge base's). */
  districts: readonly string[]
  now?: () => number
}

export interface NewAccount {
  username: string
  role: StaffRole
  districts?: string[]
  password: string
}

/** What an audit entry shows of an account: never the hash. */
export function publicAccount(a: StaffAccount | undefined) {
  return a && { role: a.role, districts: a.districts }
}

/**
 * Creating, changing and removing staff accounts, with the same rules and audit entries whether `npm run staff`
 * or an admin in the console does it.
 */
export function createAccounts({ staff, audit, hasher, districts: known, now = Date.now }: AccountsDeps) {
  /** "宝安" or "宝安区" → "宝安区"; unknown names refused, listing the known ones. */
  function districtsFor(role: StaffRole, given: string[] = []): string[] {
    const names = [...new Set(given.flatMap((d) => d.split(/[,，、\s]+/)).filter(Boolean))]
    if (role !== 'manager') {
      if (names.length) throw new AccountError('只有客户经理（manager）按区授权；其他角色不填区')
      return []
    }
    if (!names.length) throw new AccountError('客户经理（manager）至少要指定一个区，例如 --district 宝安区')
    return names.map((n) => {
      const hit = known.find((d) => d === n || d === `${n}区` || d.replace(/区$/, '') === n)
      if (!hit) throw new AccountError(`不认识的区“${n}”，可选：${known.join('、')}`)
      return hit
    })
  }

  function checkPassword(password: string): void {
    const problem = passwordProblem(password)
    if (problem) throw new AccountError(problem)
  }

  async function mustGet(username: string): Promise<StaffAccount> {
    const account = await staff.get(normalizeUsername(username))
    if (!account) throw new AccountError(`没有账号 ${normalizeUsername(username)}`)
    return account
  }

  /**
   * A guarded store write's outcome as the account rules see it. The store checks "at least one admin remains" in
   * the same atomic step as the write, so two admins removing (or demoting) each other at once leave one: the
   * console could otherwise no longer manage accounts.
   */
  function settle(result: StaffChange, username: string, lastAdmin: string): void {
    if (result === 'not_found') throw new AccountError(`没有账号 ${username}`)
    if (result === 'last_admin') throw new AccountError(lastAdmin)
  }

  return {
    districtsFor,

    async add({ username, role, districts, password }: NewAccount, actor: string): Promise<StaffAccount> {
      const name = normalizeUsername(username)
      if (!USERNAME.test(name)) throw new AccountError('用户名只能用小写字母、数字和 . _ -，2 到 32 位，以字母或数字开头')
      if (!ROLES.includes(role)) throw new AccountError(`角色只能是 ${ROLES.join('、')}`)
      const granted = districtsFor(role, districts)
      checkPassword(password)
      if (await staff.get(name)) throw new AccountError(`账号 ${name} 已存在`)
      const t = now()
      const account: StaffAccount = { username: name, role, districts: granted, passwordHash: await hasher.hash(password), createdAt: t, updatedAt: t, passwordChangedAt: t }
      await staff.put(account)
      await audit.append({ at: t, actor, action: 'staff.add', target: name, after: publicAccount(account) })
      return account
    },

    /** A new password; the account's console sessions end (they were issued before it). */
    async setPassword(username: string, password: string, actor: string): Promise<void> {
      const account = await mustGet(username)
      checkPassword(password)
      // Strictly later than the last change, whatever the clock: sessions compare it for equality.
      const t = Math.max(now(), account.passwordChangedAt + 1)
      // Guarded too: written back with the role read above, it must not undo a removal or a role change made
      // meanwhile into "no admin left" (the store refuses that; the admin tries again on a fresh page).
      const result = await staff.replaceKeepingAdmin({ ...account, passwordHash: await hasher.hash(password), updatedAt: t, passwordChangedAt: t })
      settle(result, account.username, '账号刚被其他管理员修改，请刷新后再试')
      await audit.append({ at: t, actor, action: 'staff.passwd', target: account.username })
    },

    async setRole(username: string, role: StaffRole, districts: string[], actor: string): Promise<StaffAccount> {
      const account = await mustGet(username)
      if (!ROLES.includes(role)) throw new AccountError(`角色只能是 ${ROLES.join('、')}`)
      const granted = districtsFor(role, districts)
      const changed = { ...account, role, districts: granted, updatedAt: now() }
      settle(await staff.replaceKeepingAdmin(changed), account.username, '这是最后一个管理员账号，不能改成其他角色')
      await audit.append({ at: changed.updatedAt, actor, action: 'staff.role', target: account.username, before: publicAccount(account), after: publicAccount(changed) })
      return changed
    },

    /** Remove an account; never the actor's own (compared normalised: "Admin " is admin), never the last admin. */
    async remove(username: string, actor: string): Promise<void> {
      if (normalizeUsername(username) === normalizeUsername(actor)) throw new AccountError('不能删除自己正在使用的账号。')
      const account = await mustGet(username)
      settle(await staff.removeKeepingAdmin(account.username), account.username, '这是最后一个管理员账号，不能删除（先添加另一个管理员）')
      await audit.append({ at: now(), actor, action: 'staff.remove', target: account.username, before: publicAccount(account) })
    },
  }
}

export type Accounts = ReturnType<typeof createAccounts>
