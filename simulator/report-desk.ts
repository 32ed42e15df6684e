// The citizen-report feed and the people who answer it, for the demo: citizens' reports (simulator/reports.ts)
// are pushed by the simulated 1022 call centre over MQTT ({root}/report/sim-1022) or sent by the citizen app
// through Open311; a simulated dispatcher and the agencies then work through the IOC's own REST API, as people
// at the consoles do, at the pace each report's fate says (an agency late on a share of its reports, some
// returns and extension requests), and citizens rate the published answers they got a token for.
//
// The desk acts through the API with two accounts the all-in-one creates for it (a dispatcher, and agency
// staff of the whole province); nothing here writes to the database. Time and transport are injected.

import { REPORT_INPUT, type ReportDetail, type ReportListItem, type ReportListResponse } from '../contract/index.ts'
import { createLogger } from '../core/log.ts'
import { agencyProfile, reportFate, type ReportModel, type SimReport } from './reports.ts'

const log = createLogger('simulator')

export interface ReportDeskOptions {
  model: ReportModel
  seed: number
  baseUrl: string
  /** API keys: a dispatcher's, and agency staff's whose agency is the province (every agency below it). */
  dispatcherKey: string
  agencyKey: string
  topicRoot: string
  publish(topic: string, payload: string): Promise<void>
  now(): number
  /** Hours of the model's reports to send at start (idempotent: the call centre's ids make a resend harmless). */
  historyHours: number
  tickMs?: number
}

const MINUTE = 60_000
const CHANNEL = 'sim-1022'

export function createReportDesk(o: ReportDeskOptions) {
  const tokens = new Map<string, string>()
  const reopened = new Set<string>()
  const extended = new Set<string>()
  let sentUpTo = o.now() - o.historyHours * 3_600_000
  let timer: ReturnType<typeof setInterval> | null = null
  let busy = false
  const stats = { sent: 0, actions: 0, failures: 0 }

  const api = async <T>(key: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${o.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = (await res.json()) as T & { error?: { message: string } }
    if (!res.ok) throw new Error(`${path}: ${res.status} ${json.error?.message ?? ''}`)
    return json
  }
  const act = async (key: string, id: string, body: Record<string, unknown>) => {
    await api(key, `/api/reports/${id}/actions`, body)
    stats.actions++
  }

  async function send(): Promise<void> {
    const to = o.now()
    const due = o.model.between(sentUpTo, to)
    sentUpTo = to
    const pushed = due.filter((r) => r.via === 'mqtt' || to - r.ts > 10 * MINUTE)
    // the call centre pushes in batches; Open311 is one request each, as the app sends it
    for (let i = 0; i < pushed.length; i += 100) {
      const batch = pushed.slice(i, i + 100).map(toPushed)
      await o.publish(`${o.topicRoot}/${REPORT_INPUT}/${CHANNEL}`, JSON.stringify(batch))
    }
    for (const r of due.filter((x) => !pushed.includes(x))) {
      const res = await fetch(`${o.baseUrl}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: o.dispatcherKey, service_code: r.categoryCode, lat: String(r.lat), long: String(r.lon), description: r.description, phone: r.phone }),
      })
      if (res.ok) {
        const [made] = (await res.json()) as { service_request_id: string; token: string }[]
        if (made) tokens.set(made.service_request_id, made.token)
      } else stats.failures++
    }
    stats.sent += due.length
  }

  /** The next step of one report, if its time has come. */
  async function step(item: ReportListItem): Promise<void> {
    const now = o.now()
    const fate = reportFate(o.seed, item.id, agencyProfile(o.seed, item.agencyId ?? ''))
    const since = now - Date.parse(item.updatedAt)
    const dispatchDue = since >= fate.dispatchMinutes * MINUTE
    switch (item.state) {
      case 'new':
      case 'returned':
      case 'reopened': {
        if (!dispatchDue) return
        const d = await api<ReportDetail>(o.dispatcherKey, `/api/reports/${item.id}`)
        if (item.state === 'new' && fate.spam) return act(o.dispatcherKey, item.id, { action: 'reject', reason: 'spam' })
        const original = d.duplicates[0]
        if (item.state === 'new' && original && fate.mergeDuplicate) return act(o.dispatcherKey, item.id, { action: 'mark_duplicate', duplicateOf: original.id })
        if (item.state === 'new') await act(o.dispatcherKey, item.id, { action: 'classify' })
        // a report the proposed agency returned goes to the locality it is in
        const agencyId = item.state === 'returned' && d.unitId ? d.unitId : (d.proposedRoute?.agencyId ?? d.unitId)
        if (agencyId) return act(o.dispatcherKey, item.id, { action: 'forward', agencyId })
        return
      }
      case 'forwarded': {
        const due = item.sla.dueBy ? Date.parse(item.sla.dueBy) : null
        if (due === null) return
        const from = Date.parse(item.updatedAt)
        if (now < from + fate.acceptAt * (due - from)) return
        if (fate.returned && !reopened.has(`returned:${item.id}`)) {
          reopened.add(`returned:${item.id}`)
          return act(o.agencyKey, item.id, { action: 'return', note: 'Nội dung không thuộc thẩm quyền giải quyết của đơn vị; đề nghị chuyển chính quyền địa phương.' })
        }
        return act(o.agencyKey, item.id, { action: 'accept' })
      }
      case 'accepted':
        if (since >= (fate.dispatchMinutes / 3) * MINUTE) return act(o.agencyKey, item.id, { action: 'start', note: 'Đã phân công cán bộ kiểm tra hiện trường.' })
        return
      case 'in_progress': {
        if (item.extensionPending) {
          if (!dispatchDue) return
          return act(o.dispatcherKey, item.id, { action: fate.approveExtension ? 'approve_extension' : 'refuse_extension' })
        }
        const due = item.sla.dueBy ? Date.parse(item.sla.dueBy) : null
        if (due === null) return
        const d = await api<ReportDetail>(o.agencyKey, `/api/reports/${item.id}`)
        const acceptedAt = Date.parse(d.events.findLast((e) => e.action === 'accept')?.at ?? item.updatedAt)
        const span = due - acceptedAt
        if (fate.extension && !extended.has(item.id) && now >= acceptedAt + 0.6 * span) {
          extended.add(item.id)
          return act(o.agencyKey, item.id, { action: 'request_extension', until: new Date(due + 3 * 86_400_000).toISOString(), note: 'Cần phối hợp với đơn vị liên quan, đề nghị gia hạn thêm 3 ngày.' })
        }
        if (now >= acceptedAt + fate.resolveAt * span) return act(o.agencyKey, item.id, { action: 'resolve', result: RESULTS[Number(item.id) % RESULTS.length]! })
        return
      }
      case 'resolved':
        if (dispatchDue) return act(o.dispatcherKey, item.id, { action: 'publish' })
        return
      case 'published': {
        const token = tokens.get(item.id)
        if (!token || !fate.rated || since < 4 * fate.dispatchMinutes * MINUTE) return
        tokens.delete(item.id)
        await fetch(`${o.baseUrl}/open311/v2/tokens/${token}/rating.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ satisfied: fate.satisfied, comment: fate.satisfied ? 'Cảm ơn, đã xử lý nhanh.' : 'Chưa xử lý triệt để, sự việc vẫn tái diễn.' }),
        })
        return
      }
      case 'rated':
        if (!reopened.has(item.id) && dispatchDue) {
          const d = await api<ReportDetail>(o.dispatcherKey, `/api/reports/${item.id}`)
          if (d.satisfied !== false) return
          reopened.add(item.id)
          return act(o.dispatcherKey, item.id, { action: 'reopen', note: 'Người dân chưa hài lòng; đề nghị xử lý lại.' })
        }
        return
    }
  }

  async function tick(): Promise<void> {
    if (busy) return
    busy = true
    try {
      await send()
      const open = await api<ReportListResponse>(o.dispatcherKey, '/api/reports?status=open&pageSize=200')
      const closed = await api<ReportListResponse>(o.dispatcherKey, '/api/reports?status=all&state=resolved,published,rated&pageSize=100')
      for (const item of [...open.items, ...closed.items]) {
        try {
          await step(item)
        } catch (err) {
          stats.failures++
          log.debug(`report ${item.id}: ${(err as Error).message}`)
        }
      }
    } catch (err) {
      stats.failures++
      log.debug(`report desk: ${(err as Error).message}`)
    } finally {
      busy = false
    }
  }

  return {
    start(): void {
      // the first round a tick later: not in the same instant as everything else the start does
      timer = setInterval(() => void tick(), o.tickMs ?? 15_000)
    },
    stop(): void {
      if (timer) clearInterval(timer)
    },
    stats: () => ({ ...stats }),
    /** One round now (tests). */
    tick,
  }
}

function toPushed(r: SimReport) {
  return { externalId: r.externalId, ts: new Date(r.ts).toISOString(), service_code: r.categoryCode, lat: r.lat, long: r.lon, description: r.description, phone: r.phone }
}

const RESULTS = [
  'Đơn vị đã kiểm tra hiện trường và khắc phục xong.',
  'Đã xử lý vi phạm, yêu cầu hộ kinh doanh cam kết không tái phạm.',
  'Đã sửa chữa, hoàn trả mặt bằng; đề nghị người dân tiếp tục phản ánh nếu tái diễn.',
  'Đã thu gom, vệ sinh khu vực và bố trí thêm thùng rác.',
  'Đã khôi phục cấp điện, nước bình thường.',
]
