import type { Redis } from 'ioredis'
import type { RedisKey } from './redis-keys.js'

/*
 * The Lua scripts of the Redis store, run with EVALSHA (cached in Redis) through ioredis' defineCommand. Each
 * is one atomic step: nothing else runs on Redis between its commands.
 */

// Compare-and-delete: a holder whose lock already expired must not delete the next holder's lock.
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`
// Extend a lease only while it is still ours.
const RENEW_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`
// A turn in two round trips instead of four: take the user's lock and read the session together…
const LOCK_AND_GET = `if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('get', KEYS[2])} end return {0}`
// …and write the session and release the lock (if still ours) together.
const SAVE_AND_RELEASE = `redis.call('set', KEYS[2], ARGV[2], 'EX', ARGV[3])
  if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end return 1`
// Update only what is still there, so an update racing a remove cannot resurrect a delivered item.
const UPDATE_OUTBOX = `if redis.call('hexists', KEYS[1], ARGV[1]) == 1 then
  redis.call('hset', KEYS[1], ARGV[1], ARGV[2]) redis.call('zadd', KEYS[2], ARGV[3], ARGV[1]) return 1 end return 0`

// Compare-and-set: replace a value only if it is still the one the caller read (a report's status change), and
// append its audit entry (ARGV[3], '' none) to the audit list (KEYS[2]) in the same step.
const REPLACE_IF = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2])
  if ARGV[3] and ARGV[3] ~= '' then redis.call('rpush', KEYS[2], ARGV[3]) end return 1 end return 0`
// The same for a kv entry, with its new expiry (EX seconds): a stale holder of a WeChat message claim must not
// overwrite the claim of the delivery that took the message over. A missing key reads as false, never equal.
const SET_IF_EQUALS = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end return 0`

// YYYYMMDD in China time (UTC+8, no daylight saving) of a Unix time in seconds: civil-from-days (H. Hinnant).
const CHINA_DAY = `
local function chinaDay(sec)
  local z = math.floor((sec + 28800) / 86400) + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return string.format('%04d%02d%02d', y, m, d)
end
`

/*
 * The store identity (redis-identity.ts). Present and the one remembered (or none remembered): 'same'. Another,
 * already marked wiped: 'replaced' (another instance found the wipe first). Absent and nothing remembered: a new
 * store, 'created'. Absent though this instance knew one, or another one not marked wiped (an instance that
 * started after the wipe took the empty store for a new one): the store was wiped — 'wiped': the identity is
 * marked wipedAt, and today's sequence (by Redis' clock, China time) moved to the tenths of a second since
 * midnight — past any number issued today before the wipe unless ten a second were filed all day. On every call,
 * in every case, the sequence of the day this instance last issued a number on is moved up to that number: each
 * running instance puts back what it handed out, within one check interval of the wipe.
 * KEYS: identity. ARGV: remembered id ('' none), new id, seq key prefix, seq ttl s, day and highest n this
 * instance issued that day ('' and 0: none)
 */
const IDENTITY = `${CHINA_DAY}
-- Whatever happened, the day's sequence is never behind a number this instance issued that day.
if ARGV[5] ~= '' then
  local mine = ARGV[3] .. ARGV[5]
  if tonumber(redis.call('get', mine) or '0') < tonumber(ARGV[6]) then redis.call('set', mine, ARGV[6], 'EX', ARGV[4]) end
end
local cur = redis.call('get', KEYS[1])
local known
if cur then
  known = cjson.decode(cur)
  if ARGV[1] == '' or known.id == ARGV[1] then return {'same', cur} end
  if known.wipedAt then return {'replaced', cur} end
end
local t = redis.call('time')
local sec = tonumber(t[1])
local ms = sec * 1000 + math.floor(tonumber(t[2]) / 1000)
local rec
if not cur and ARGV[1] == '' then
  rec = cjson.encode({id = ARGV[2], createdAt = ms})
  redis.call('set', KEYS[1], rec)
  return {'created', rec}
end
-- Wiped: gone, or recreated as new by an instance that started after the wipe and could not tell.
local day = chinaDay(sec)
local floor = ((sec + 28800) % 86400) * 10 + math.floor(tonumber(t[2]) / 100000)
local id = known and known.id or ARGV[2]
local createdAt = known and known.createdAt or ms
rec = cjson.encode({id = id, createdAt = createdAt, wipedAt = ms, floorDay = day, floor = floor})
redis.call('set', KEYS[1], rec)
local seq = ARGV[3] .. day
if tonumber(redis.call('get', seq) or '0') < floor then redis.call('set', seq, floor, 'EX', ARGV[4]) end
return {'wiped', rec}`

/*
 * File a report once per submission key: the report filed under the key, or the day's next number, the report,
 * its three indexes, the key and (when asked) the manager's notice. The JSON texts come split where the number
 * goes, so the script only joins strings and never re-encodes what the caller wrote.
 * Refused ({-2}) unless the store identity is the one the instance knows: a wiped store is noticed (and its
 * numbering moved on, IDENTITY) before any number is taken from it.
 * KEYS: submission, seq, byUser, byDistrict, all reports, outbox items, outbox due, identity
 * ARGV: report key prefix, number prefix (BSyyyymmdd-), seq ttl s, createdAt, report JSON head, tail,
 *       notice id head, tail, notice JSON head, middle, tail ('' = no notice), notice due time, identity id
 */
const CREATE_REPORT = `
local identity = redis.call('get', KEYS[8])
if not identity or cjson.decode(identity).id ~= ARGV[13] then return {-2, ''} end
local filed = redis.call('get', KEYS[1])
if filed then
  local json = redis.call('get', ARGV[1] .. filed)
  if json then return {0, json} end
end
local id
repeat
  local n = redis.call('incr', KEYS[2])
  id = ARGV[2] .. string.format('%04d', n)
until redis.call('exists', ARGV[1] .. id) == 0
redis.call('expire', KEYS[2], ARGV[3])
local json = ARGV[5] .. id .. ARGV[6]
redis.call('set', ARGV[1] .. id, json)
redis.call('zadd', KEYS[3], ARGV[4], id)
redis.call('zadd', KEYS[4], ARGV[4], id)
redis.call('zadd', KEYS[5], ARGV[4], id)
redis.call('set', KEYS[1], id)
if ARGV[9] ~= '' then
  local noticeId = ARGV[7] .. id .. ARGV[8]
  redis.call('hset', KEYS[6], noticeId, ARGV[9] .. id .. ARGV[10] .. id .. ARGV[11])
  redis.call('zadd', KEYS[7], ARGV[12], noticeId)
end
return {1, json}`

/*
 * Open a handoff unless its owner has one that is not closed (then return that one). A handoff is a hash:
 * v (version), s (status), json. KEYS: the new handoff, open zset, owners hash
 * ARGV: id, json, createdAt, owner, handoff key prefix, status
 */
const OPEN_HANDOFF = `
local cur = redis.call('hget', KEYS[3], ARGV[4])
if cur then
  local json = redis.call('hget', ARGV[5] .. cur, 'json')
  if json and redis.call('hget', ARGV[5] .. cur, 's') ~= 'closed' then return {0, json} end
end
if redis.call('exists', KEYS[1]) == 1 then return {-1, ''} end
redis.call('hset', KEYS[1], 'v', '1', 's', ARGV[6], 'json', ARGV[2])
redis.call('zadd', KEYS[2], ARGV[3], ARGV[1])
redis.call('hset', KEYS[3], ARGV[4], ARGV[1])
return {1, ARGV[2]}`

/*
 * Compare-and-set a handoff on its version; a closed one stays closed. Closing moves it from the open list to the
 * closed list and frees its owner; the first closed beyond the cap are deleted (record and index) in the same step.
 * The audit entry, if any, is appended in the same step.
 * KEYS: handoff, open zset, closed zset, owners hash, audit list
 * ARGV: id, expected version, new version, status, json, closedAt, owner, closed kept (cap), handoff key prefix,
 *       audit entry JSON ('' none)
 */
const REPLACE_HANDOFF = `
if redis.call('hget', KEYS[1], 'v') ~= ARGV[2] then return 0 end
if redis.call('hget', KEYS[1], 's') == 'closed' and ARGV[4] ~= 'closed' then return 0 end
redis.call('hset', KEYS[1], 'v', ARGV[3], 's', ARGV[4], 'json', ARGV[5])
if ARGV[10] ~= '' then redis.call('rpush', KEYS[5], ARGV[10]) end
if ARGV[4] == 'closed' then
  redis.call('zrem', KEYS[2], ARGV[1])
  redis.call('zadd', KEYS[3], ARGV[6], ARGV[1])
  if redis.call('hget', KEYS[4], ARGV[7]) == ARGV[1] then redis.call('hdel', KEYS[4], ARGV[7]) end
  local extra = redis.call('zcard', KEYS[3]) - tonumber(ARGV[8])
  if extra > 0 then
    local old = redis.call('zrange', KEYS[3], 0, extra - 1)
    redis.call('zremrangebyrank', KEYS[3], 0, extra - 1)
    for _, id in ipairs(old) do redis.call('del', ARGV[9] .. id) end
  end
end
return 1`

/*
 * The "at least one admin remains" rule and the write in one step. Accounts are JSON in one hash (username →
 * account); only their role is read here (cjson), the JSON written is the caller's text.
 */
const OTHER_ADMIN = `
local function otherAdmin(staff, username)
  local all = redis.call('hgetall', staff)
  for i = 1, #all, 2 do
    if all[i] ~= username and cjson.decode(all[i + 1]).role == 'admin' then return true end
  end
  return false
end
`
// Replace an existing account unless it is an admin made something else with no other admin left.
// KEYS: staff hash. ARGV: username, account JSON, its role
const REPLACE_STAFF_KEEPING_ADMIN = `${OTHER_ADMIN}
local cur = redis.call('hget', KEYS[1], ARGV[1])
if not cur then return 'not_found' end
if ARGV[3] ~= 'admin' and cjson.decode(cur).role == 'admin' and not otherAdmin(KEYS[1], ARGV[1]) then return 'last_admin' end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
return 'done'`
// Remove an account unless it is the last admin. KEYS: staff hash. ARGV: username
const REMOVE_STAFF_KEEPING_ADMIN = `${OTHER_ADMIN}
local cur = redis.call('hget', KEYS[1], ARGV[1])
if not cur then return 'not_found' end
if cjson.decode(cur).role == 'admin' and not otherAdmin(KEYS[1], ARGV[1]) then return 'last_admin' end
redis.call('hdel', KEYS[1], ARGV[1])
return 'done'`

/*
 * Add an unanswered entry and drop the oldest beyond the cap. KEYS: entries hash, time zset
 * ARGV: id, json, at, cap
 */
const ADD_UNANSWERED = `
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
redis.call('zadd', KEYS[2], ARGV[3], ARGV[1])
local extra = redis.call('zcard', KEYS[2]) - tonumber(ARGV[4])
if extra > 0 then
  local old = redis.call('zrange', KEYS[2], 0, extra - 1)
  redis.call('zremrangebyrank', KEYS[2], 0, extra - 1)
  redis.call('hdel', KEYS[1], unpack(old))
end
return 1`

export type ScriptedRedis = Redis & {
  tbLockAndGet(lock: RedisKey, session: RedisKey, token: string, ttlMs: number): Promise<[number, string | null] | [number]>
  tbSaveAndRelease(lock: RedisKey, session: RedisKey, token: string, json: string, ttlSeconds: number): Promise<number>
  tbRelease(lock: RedisKey, token: string): Promise<number>
  tbRenew(lock: RedisKey, token: string, ttlMs: number): Promise<number>
  tbUpdateOutbox(items: RedisKey, due: RedisKey, id: string, json: string, at: number): Promise<number>
  tbCreateReport(...args: Array<RedisKey | number>): Promise<[number, string]>
  tbIdentity(identity: RedisKey, remembered: string, newId: string, seqPrefix: string, seqTtl: number, day: string, highest: number): Promise<['same' | 'replaced' | 'created' | 'wiped', string]>
  tbReplaceIf(key: RedisKey, audit: RedisKey, expected: string, value: string, auditJson: string): Promise<number>
  tbSetIfEquals(key: RedisKey, expected: string, value: string, ttlSeconds: number): Promise<number>
  tbDeleteIfEquals(key: RedisKey, expected: string): Promise<number>
  tbOpenHandoff(...args: RedisKey[]): Promise<[number, string]>
  tbReplaceHandoff(...args: RedisKey[]): Promise<number>
  tbAddUnanswered(...args: Array<RedisKey | number>): Promise<number>
  tbReplaceStaffKeepingAdmin(staff: RedisKey, username: string, json: string, role: string): Promise<'done' | 'not_found' | 'last_admin'>
  tbRemoveStaffKeepingAdmin(staff: RedisKey, username: string): Promise<'done' | 'not_found' | 'last_admin'>
}

/** Register the scripts on a client (once per client). */
export function withScripts(redis: Redis): ScriptedRedis {
  if (!('tbIdentity' in redis)) {
    redis.defineCommand('tbLockAndGet', { numberOfKeys: 2, lua: LOCK_AND_GET })
    redis.defineCommand('tbSaveAndRelease', { numberOfKeys: 2, lua: SAVE_AND_RELEASE })
    redis.defineCommand('tbRelease', { numberOfKeys: 1, lua: RELEASE_LOCK })
    redis.defineCommand('tbRenew', { numberOfKeys: 1, lua: RENEW_LOCK })
    redis.defineCommand('tbUpdateOutbox', { numberOfKeys: 2, lua: UPDATE_OUTBOX })
    redis.defineCommand('tbCreateReport', { numberOfKeys: 8, lua: CREATE_REPORT })
    redis.defineCommand('tbIdentity', { numberOfKeys: 1, lua: IDENTITY })
    redis.defineCommand('tbReplaceIf', { numberOfKeys: 2, lua: REPLACE_IF })
    redis.defineCommand('tbSetIfEquals', { numberOfKeys: 1, lua: SET_IF_EQUALS })
    // Compare-and-delete of a kv entry is the lock release's script (one cached script, two names).
    redis.defineCommand('tbDeleteIfEquals', { numberOfKeys: 1, lua: RELEASE_LOCK })
    redis.defineCommand('tbOpenHandoff', { numberOfKeys: 3, lua: OPEN_HANDOFF })
    redis.defineCommand('tbReplaceHandoff', { numberOfKeys: 5, lua: REPLACE_HANDOFF })
    redis.defineCommand('tbAddUnanswered', { numberOfKeys: 2, lua: ADD_UNANSWERED })
    redis.defineCommand('tbReplaceStaffKeepingAdmin', { numberOfKeys: 1, lua: REPLACE_STAFF_KEEPING_ADMIN })
    redis.defineCommand('tbRemoveStaffKeepingAdmin', { numberOfKeys: 1, lua: REMOVE_STAFF_KEEPING_ADMIN })
  }
  return redis as ScriptedRedis
}
