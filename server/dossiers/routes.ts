// The dossiers' REST routes: each reads its query with the contract's schema and answers from the service
// (which checks the caller's scope). Nothing here decides anything.
import type { Router } from 'express'
import { calendarDayBody, calendarQuery, check, DOSSIER_ROUTES as R, exportQuery, listQuery, parseQuery, periodQuery, rankingQuery } from '../../contract/index.ts'
import { handle, HttpProblem, orBadRequest } from '../shared/http.ts'
import { INDEX_COLUMNS, LIST_COLUMNS, PROCEDURE_COLUMNS, RANKING_COLUMNS, toCsv, toXlsx, TREND_COLUMNS, type Column } from './export.ts'
import type { DossierService } from './service.ts'

export function dossierRoutes(router: Router, dossiers: DossierService): void {
  handle(router, R.dossierKpis, ({ query, principal }) => dossiers.kpis(principal, orBadRequest(parseQuery(periodQuery, query))))
  handle(router, R.dossierRankings, ({ query, principal }) => dossiers.rankings(principal, orBadRequest(parseQuery(rankingQuery, query))))
  handle(router, R.dossierTrend, ({ query, principal }) => dossiers.trend(principal, orBadRequest(parseQuery(periodQuery, query))))
  handle(router, R.dossierProcedures, ({ query, principal }) => dossiers.procedureBreakdown(principal, orBadRequest(parseQuery(periodQuery, query))))
  handle(router, R.dossierList, ({ query, principal }) => dossiers.list(principal, orBadRequest(parseQuery(listQuery, query))))
  handle(router, R.dossierExport, async ({ query, principal }) => {
    const q = orBadRequest(parseQuery(exportQuery, query))
    const name = `ho-so-${q.view}-${q.from}-${q.to}`
    const write = <T>(title: string, columns: readonly Column<T>[], rows: readonly T[]) => (q.format === 'csv' ? toCsv(name, columns, rows) : toXlsx(name, title, columns, rows))
    switch (q.view) {
      case 'rankings': {
        if (!q.type) throw new HttpProblem(400, { code: 'bad_request', field: 'type', message: 'type: expected one of department, locality, centre for view=rankings' })
        const r = await dossiers.rankings(principal, { ...q, type: q.type })
        return write(`Xếp hạng ${q.type === 'department' ? 'sở, ban, ngành' : q.type === 'locality' ? 'địa phương' : 'trung tâm'} ${q.from} – ${q.to}`, RANKING_COLUMNS, r.rows)
      }
      case 'procedures': {
        const r = await dossiers.procedureBreakdown(principal, q)
        return write(`Thủ tục – ${r.unit.name} ${q.from} – ${q.to}`, PROCEDURE_COLUMNS, r.rows)
      }
      case 'trend': {
        const r = await dossiers.trend(principal, q)
        return write(`Xu hướng theo tháng – ${r.unit.name}`, TREND_COLUMNS, r.months)
      }
      case 'index766': {
        const k = await dossiers.kpis(principal, q)
        const rows = k.index766.groups.flatMap((g) => g.indicators.map((i) => ({ group: g.vi, ...i })))
        return write(`Chỉ số 766 – ${k.unit.name} ${q.from} – ${q.to}`, INDEX_COLUMNS, rows)
      }
      case 'list': {
        // the whole list, not one page: an export is for the meeting, not the screen
        const r = await dossiers.list(principal, { ...q, page: 1, pageSize: 100_000 })
        return write(`Hồ sơ – ${r.unit.name} ${q.from} – ${q.to}`, LIST_COLUMNS, r.rows)
      }
    }
  })
  handle(router, R.dossierWall, () => dossiers.wall())
  handle(router, R.dossier, ({ params, principal }) => dossiers.timeline(principal, params.id!))
  handle(router, R.procedures, async () => ({ procedures: [...(await dossiers.procedures()).values()] }))
  handle(router, R.calendar, ({ query }) => dossiers.calendarOf(orBadRequest(parseQuery(calendarQuery, query)).year))
  handle(router, R.calendarDay, ({ params, body, principal, ip }) => {
    const b = check(calendarDayBody, body)
    if (!b.ok) throw new HttpProblem(400, { code: 'bad_request', field: b.issues[0]!.path, message: b.issues[0]!.message })
    return dossiers.setDay(principal!, ip, params.day!, b.value)
  })
  handle(router, R.calendarDayReset, ({ params, principal, ip }) => dossiers.setDay(principal!, ip, params.day!, null))
}
