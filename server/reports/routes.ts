// The consoles' REST routes: each reads its input with the contract's schema and answers from the service
// (which checks the caller's role and agency). Nothing here decides anything.
import type { Router } from 'express'
import { check, consoleReportBody, parseQuery, REPORT_ID, REPORT_ROUTES as R, reportActionBody, reportListQuery, reportPerformanceQuery } from '../../contract/index.ts'
import { handle, HttpProblem, orBadRequest } from '../shared/http.ts'
import type { ReportService } from './service.ts'

function body<T>(r: { ok: true; value: T } | { ok: false; issues: { path: string; message: string }[] }): T {
  if (r.ok) return r.value
  throw new HttpProblem(400, { code: 'bad_request', field: r.issues[0]!.path, message: r.issues[0]!.message })
}

function reportId(raw: string | undefined): string {
  const r = check(REPORT_ID, raw, { at: 'id' })
  if (!r.ok) throw new HttpProblem(404, { code: 'not_found', field: 'id', message: r.issues[0]!.message })
  return r.value
}

export function reportRoutes(router: Router, reports: ReportService): void {
  handle(router, R.reportWall, () => reports.wall())
  handle(router, R.reportPerformance, ({ query, principal }) => reports.performanceView(principal!, orBadRequest(parseQuery(reportPerformanceQuery, query))))
  handle(router, R.reportCategories, () => reports.categoriesView())
  handle(router, R.reports, ({ query, principal }) => reports.list(principal!, orBadRequest(parseQuery(reportListQuery, query))))
  handle(router, R.reportCreate, ({ body: b, principal, ip }) => reports.createFromConsole(principal!, ip, body(check(consoleReportBody, b))))
  handle(router, R.reportContact, ({ params, principal, ip }) => reports.contact(principal!, ip, reportId(params.id)))
  handle(router, R.report, ({ params, principal }) => reports.detail(principal!, reportId(params.id)))
  handle(router, R.reportAction, ({ params, body: b, principal, ip }) => reports.act(principal!, ip, reportId(params.id), body(check(reportActionBody, b))))
}
