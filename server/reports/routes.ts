// The consoles' REST routes: each reads its input with the contract's schema and answers from the service
// (which checks the caller's role and agency). Nothing here decides anything.
import type { Router } from 'express'
import multer from 'multer'
import { check, consoleReportBody, parseQuery, REPORT_ID, REPORT_ROUTES as R, reportActionBody, reportListQuery, reportPerformanceQuery, reportRouteBody } from '../../contract/index.ts'
import { requireAccess } from '../shared/auth.ts'
import { FileResponse, handle, HttpProblem, orBadRequest } from '../shared/http.ts'
import { MAX_PHOTO_BYTES } from './photos.ts'
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

// one photo per request, held in memory up to the limit (multer refuses a larger one before it is read whole)
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 5 } }).single('photo')

export function reportRoutes(router: Router, reports: ReportService): void {
  handle(router, R.reportWall, () => reports.wall())
  handle(router, R.reportPerformance, ({ query, principal }) => reports.performanceView(principal!, orBadRequest(parseQuery(reportPerformanceQuery, query))))
  handle(router, R.reportCategories, () => reports.categoriesView())
  handle(router, R.reportRoutes, () => reports.routesView())
  handle(router, R.reportRouteSet, ({ body: b, principal, ip }) => reports.setRoute(principal!, ip, body(check(reportRouteBody, b))))
  handle(router, R.reportRouteDelete, ({ params, principal, ip }) => reports.deleteRoute(principal!, ip, String(params.unit), String(params.category)))
  handle(router, R.reports, ({ query, principal }) => reports.list(principal!, orBadRequest(parseQuery(reportListQuery, query))))
  handle(router, R.reportCreate, ({ body: b, principal, ip }) => reports.createFromConsole(principal!, ip, body(check(consoleReportBody, b))))
  handle(router, R.reportContact, ({ params, principal, ip }) => reports.contact(principal!, ip, reportId(params.id)))
  handle(router, R.report, ({ params, principal }) => reports.detail(principal!, reportId(params.id)))
  router.post(R.reportPhotoUpload.path.replace(/^\/api/, ''), requireAccess(R.reportPhotoUpload.access), (req, res, next) =>
    upload(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        const tooLarge = err.code === 'LIMIT_FILE_SIZE'
        return next(new HttpProblem(tooLarge ? 413 : 400, { code: tooLarge ? 'too_large' : 'bad_request', field: 'photo', message: tooLarge ? `photo: at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB` : `photo: ${err.message}` }))
      }
      if (err) return next(err)
      const file = (req as typeof req & { file?: { buffer: Buffer } }).file
      const kind = (req.body as { kind?: unknown } | undefined)?.kind ?? 'report'
      if (kind !== 'report' && kind !== 'result') return next(new HttpProblem(400, { code: 'bad_request', field: 'kind', message: "kind: expected 'report' or 'result'" }))
      reports.addPhoto(req.principal!, req.ip ?? null, reportId(String(req.params.id)), kind, file?.buffer ?? Buffer.alloc(0)).then(
        (view) => res.status(201).json(view),
        (e: unknown) => next(e),
      )
    }),
  )
  handle(router, R.reportPhoto, async ({ params, query, principal }) => {
    const photo = await reports.photo(principal!, reportId(params.id), String(params.photoId).slice(0, 20), query.size === 'thumb')
    return new FileResponse(photo.contentType, null, photo.data)
  })
  handle(router, R.reportAction, ({ params, body: b, principal, ip }) => reports.act(principal!, ip, reportId(params.id), body(check(reportActionBody, b))))
}
