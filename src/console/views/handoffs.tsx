import type { Knowledge } from '../../knowledge/knowledge.js'
import type { Handoff, HandoffMessage } from '../../store/types.js'
import { CHANNEL_LABEL, factLines, handoffState, recentLines, shortUser, waited } from '../handoff-view.js'
import { chinaTime } from '../report-view.js'
import { CsrfField } from './layout.js'

function State({ h }: { h: Handoff }) {
  const s = handoffState(h)
  return <span class={`badge ${s.css}`}>{s.label}</span>
}

function TakeButton({ h, csrf, label = '接待' }: { h: Handoff; csrf: string; label?: string }) {
  return (
    <form method="post" action={`/console/handoffs/${h.id}/take`} class="inline">
      <CsrfField token={csrf} />
      <button type="submit">{label}</button>
    </form>
  )
}

/** Where a list of the queue is: page n of pages, total items in the list. */
export interface QueuePage {
  n: number
  pages: number
  total: number
}

/** The queue's address for a page of each list (page 1 is left out). */
function queueHref(open: number, closed: number): string {
  const q = new URLSearchParams()
  if (open > 1) q.set('page', String(open))
  if (closed > 1) q.set('closedPage', String(closed))
  const s = q.toString()
  return s ? `/console/handoffs?${s}` : '/console/handoffs'
}

/** 上一页 · 第 N / M 页 · 下一页, when there is more than one page. */
function Pager({ at, href }: { at: QueuePage; href: (n: number) => string }) {
  if (at.pages <= 1) return null
  return (
    <div class="pager">
      {at.n > 1 ? <a href={href(at.n - 1)}>上一页</a> : null}
      <span class="muted">
        第 {at.n} / {at.pages} 页
      </span>
      {at.n < at.pages ? <a href={href(at.n + 1)}>下一页</a> : null}
    </div>
  )
}

export interface QueueProps {
  /** One page of the open handoffs, and where it is. */
  open: Handoff[]
  openPage: QueuePage
  /** One page of the closed ones (empty on the 15-second refresh, which shows only the open list). */
  closed: Handoff[]
  closedPage: QueuePage
  now: number
  csrf: string
  knowledge: Knowledge
  me: string
  notice?: string
}

/**
 * The queue: open handoffs oldest first, 30 a page (refreshed every 15 s by htmx, staying on its page), then the
 * last closed ones, 20 a page.
 */
export function HandoffQueue({ open, openPage, closed, closedPage, now, csrf, knowledge, me, notice }: QueueProps) {
  return (
    <>
      {notice ? <div class="notice">{notice}</div> : null}
      <section class="card" id="queue" hx-get={queueHref(openPage.n, closedPage.n)} hx-trigger="every 15s" hx-select="#queue" hx-swap="outerHTML">
        <h2>等待和接待中（{openPage.total}）</h2>
        {open.length ? (
          <table>
            <thead>
              <tr>
                <th>提出时间</th>
                <th>已等待</th>
                <th>状态</th>
                <th>渠道 · 用户</th>
                <th>最近对话</th>
                <th>情况</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {open.map((h) => (
                <tr>
                  <td>{chinaTime(h.createdAt)}</td>
                  <td>{waited(h, now)}</td>
                  <td>
                    <State h={h} />
                  </td>
                  <td>
                    {CHANNEL_LABEL[h.channel] ?? h.channel} · {shortUser(h)}
                  </td>
                  <td>
                    <ul class="plain">
                      {recentLines(h).map((l) => (
                        <li>{l}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{factLines(knowledge, h.facts).join('；')}</td>
                  <td class="actions">
                    <a class="button secondary" href={`/console/handoffs/${h.id}`}>
                      查看
                    </a>
                    {h.status === 'waiting' ? <TakeButton h={h} csrf={csrf} /> : h.takenBy === me ? <span class="muted">我在接待</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">现在没有人在等人工客服。</p>
        )}
        <Pager at={openPage} href={(n) => queueHref(n, closedPage.n)} />
      </section>
      <section class="card">
        <h2>最近结束的</h2>
        {closed.length ? (
          <ul>
            {closed.map((h) => (
              <li>
                <a href={`/console/handoffs/${h.id}`}>{chinaTime(h.createdAt)}</a> {CHANNEL_LABEL[h.channel] ?? h.channel} · {shortUser(h)}　<State h={h} />
                {h.note ? <span class="muted">　备注：{h.note}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">还没有。</p>
        )}
        <Pager at={closedPage} href={(n) => queueHref(openPage.n, n)} />
      </section>
    </>
  )
}

const FROM_LABEL: Record<HandoffMessage['from'], string> = { user: '用户', bot: '机器人', staff: '人工客服' }
const DELIVERED_LABEL: Record<NonNullable<HandoffMessage['delivered']>, string> = {
  sent: '已送达',
  kept: '用户下次发消息时看到',
  turn: '已在用户下一条消息时给出',
}

function Conversation({ h }: { h: Handoff }) {
  return (
    <ol class="chat">
      {h.messages.map((m) => (
        <li class={`from-${m.from}`}>
          <div class="meta">
            <b>{m.from === 'staff' && m.by ? `人工客服（${m.by}）` : FROM_LABEL[m.from]}</b> {chinaTime(m.at)}
            {m.from === 'staff' ? <span class="muted">　{m.delivered ? DELIVERED_LABEL[m.delivered] : '等用户下一条消息时给出'}</span> : null}
          </div>
          <div class="text">{m.text}</div>
        </li>
      ))}
    </ol>
  )
}

export interface DetailProps {
  h: Handoff
  now: number
  csrf: string
  knowledge: Knowledge
  me: string
  admin: boolean
  /** Staff usernames it may be assigned to. */
  staff: string[]
  notice?: string
}

/** One handoff: who, the facts, the conversation, and the reply, assign and close forms. */
export function HandoffDetail({ h, now, csrf, knowledge, me, admin, staff, notice }: DetailProps) {
  const facts = factLines(knowledge, h.facts)
  const mine = h.status === 'taken' && h.takenBy === me
  const canAct = h.status === 'waiting' || mine || admin
  return (
    <>
      {notice ? <div class="notice">{notice}</div> : null}
      <section class="card">
        <p>
          <State h={h} />　{CHANNEL_LABEL[h.channel] ?? h.channel} · {h.userId}　提出于 {chinaTime(h.createdAt)}，已等待 {waited(h, now)}
          {h.reason === 'offered' ? '　（机器人连续答不上后提出）' : ''}
        </p>
        <h2>用户的情况</h2>
        {facts.length ? (
          <ul>
            {facts.map((f) => (
              <li>{f}</li>
            ))}
          </ul>
        ) : (
          <p class="muted">对话里还没有提到所在区、金额或报案。</p>
        )}
        {h.status === 'waiting' ? <TakeButton h={h} csrf={csrf} label="接待这位用户" /> : null}
      </section>
      <section class="card">
        <h2>对话</h2>
        <Conversation h={h} />
      </section>
      {h.status !== 'closed' && canAct ? (
        <>
          <section class="card">
            <h2>回复</h2>
            <form method="post" action={`/console/handoffs/${h.id}/reply`}>
              <CsrfField token={csrf} />
              <textarea name="text" maxlength={1000} required placeholder="写给用户的话，纯文本；发出时前面加“人工客服：”"></textarea>
              <div class="muted">公众号用户收到客服消息（48 小时内发过消息的），否则在他下一条消息时看到；接口用户在下一轮的回复里看到；微信聊天立即发出。{h.status === 'waiting' ? '回复即接待。' : ''}</div>
              <button type="submit">发送</button>
            </form>
          </section>
          <section class="card form-row">
            <form method="post" action={`/console/handoffs/${h.id}/assign`} class="inline">
              <CsrfField token={csrf} />
              <label>
                转给
                <select name="to">
                  {staff.map((u) => (
                    <option value={u} selected={u === (h.takenBy ?? me)}>
                      {u}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" class="secondary">
                分配
              </button>
            </form>
            <form method="post" action={`/console/handoffs/${h.id}/close`} class="inline">
              <CsrfField token={csrf} />
              <label>
                结束备注
                <input type="text" name="note" maxlength={500} placeholder="如：已解答保费问题" />
              </label>
              <button type="submit" class="danger">
                结束
              </button>
            </form>
          </section>
        </>
      ) : h.status === 'closed' ? (
        <section class="card">
          <p>
            {chinaTime(h.closedAt ?? h.updatedAt)} 结束（{h.closedBy === 'user' ? '用户' : h.closedBy}）{h.note ? `，备注：${h.note}` : ''}
          </p>
        </section>
      ) : (
        <section class="card">
          <p class="muted">{h.takenBy} 正在接待这位用户。</p>
        </section>
      )}
    </>
  )
}
