// The leaders' performance page as a leader uses it, in a real Chromium over a running stack (real database
// and broker): dossier events published over MQTT become the tiles and rankings; the drill-down goes from the
// province to a unit, its procedures, the late and overdue dossiers and one dossier's timeline, with the view
// in the URL; tables export as CSV and XLSX with the rows on screen; a new event shows within 5 s; the page
// fits a 1366×768 laptop and prints on A4; a scoped leader sees only their scope. Then the wall's dossier
// screen, and the admin's working-day calendar. The steps of one describe are one person's session, in order.
// Screenshots land in test-results/ for a human look.
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import {
  DEFAULT_WORKING_HOURS,
  WorkingCalendar,
  dayNumberOf,
  dossierEventJson,
  vnDate,
  vnMidnight,
  workingDaysLate,
  type DossierEvent,
} from '../../contract/index.ts'
import { vietnamHolidays } from '../../contract/shared/holidays.ts'
import { SYSTEM } from '../../server/shared/audit.ts'
import { CHROMIUM_AVAILABLE, horizontalOverflow, launchChromium, openWall, pageLayout, type WallPage } from '../helpers/browser.ts'
import { ROOT } from '../helpers/processes.ts'
import { closeStack, openStack, STACK_TARGETS, type Stack, type StackTarget } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'

const LAPTOP = { width: 1366, height: 768 }
const FULL_HD = { width: 1920, height: 1080 }
const UHD = { width: 3840, height: 2160 }
/** A4 portrait at 96 dpi. */
const A4 = { width: 794, height: 1123 }
const RESULTS = join(ROOT, 'test-results')

// --- the dossiers -------------------------------------------------------------------------------------------

const NOW = Date.now()
const cal = new WorkingCalendar(DEFAULT_WORKING_HOURS, vietnamHolidays([2024, 2025, 2026, 2027, 2028]))
const TODAY = vnDate(NOW)
/** The month shown after one click on "previous period": the month before this one, wholly in the past. */
const LAST = (() => {
  const [y, m] = TODAY.split('-').map(Number) as [number, number]
  const first = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10)
  const last = new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10)
  return { first, last, label: `Tháng ${Number(first.slice(5, 7))}/${first.slice(0, 4)}` }
})()
const CURRENT_LABEL = `Tháng ${Number(TODAY.slice(5, 7))}/${TODAY.slice(0, 4)}`

/** The n-th working day (1-based) of last month, at a Vietnam wall-clock time. */
function wd(n: number, time: string): number {
  let seen = 0
  for (let d = dayNumberOf(LAST.first); ; d++) {
    if (!cal.isWorkingDay(d)) continue
    if (++seen === n) {
      const [h, m] = time.split(':').map(Number) as [number, number]
      return vnMidnight(d) + (h * 60 + m) * 60_000
    }
  }
}

const ev = (dossierId: string, event: DossierEvent['event'], ts: number, extra: Partial<DossierEvent> = {}) => dossierEventJson({ dossierId, event, ts, ...extra })
const receipt = (id: string, unitId: string, procedureCode: string, ts: number, due: number, channel: DossierEvent['channel']) =>
  ev(id, 'received', ts, { unitId, procedureCode, channel, appointmentAt: due })

// units and procedures of the test's own, so its numbers do not depend on the demo seed
const UNITS = [
  { id: 'L-XD', name: 'Sở Xây dựng (thử nghiệm)', level: 'sở', type: 'department' },
  { id: 'L-TP', name: 'Sở Tư pháp (thử nghiệm)', level: 'sở', type: 'department' },
  { id: 'L-HG', name: 'Phường Hồng Gai (thử nghiệm)', level: 'phường', type: 'locality' },
]
const PROCEDURES = [
  { code: 'L.1', name: 'Cấp giấy phép xây dựng (thử nghiệm)', field: 'Xây dựng', days: 5 },
  { code: 'L.2', name: 'Chứng thực bản sao từ bản chính (thử nghiệm)', field: 'Chứng thực', days: 1 },
  { code: 'L.3', name: 'Đăng ký thành lập hộ kinh doanh (thử nghiệm)', field: 'Thành lập và hoạt động doanh nghiệp', days: 3 },
  { code: 'L.4', name: 'Cấp giấy chứng nhận quyền sử dụng đất lần đầu (thử nghiệm)', field: 'Đất đai', days: 15 },
]

/** Sở Xây dựng, last month: one early, one on time, one late, one still open and overdue at the month's end. */
const X3_DUE = wd(6, '17:00')
const X3_END = wd(8, '09:00')
const X4_DUE = wd(7, '17:00')
const KNOWN = [
  receipt('X-1', 'L-XD', 'L.1', wd(1, '08:00'), wd(6, '17:00'), 'online'),
  ev('X-1', 'processed', wd(3, '10:00')),
  receipt('X-2', 'L-XD', 'L.1', wd(1, '09:00'), wd(6, '17:00'), 'counter'),
  ev('X-2', 'processed', wd(6, '16:00')),
  receipt('X-3', 'L-XD', 'L.1', wd(1, '10:00'), X3_DUE, 'post'),
  ev('X-3', 'processed', X3_END),
  receipt('X-4', 'L-XD', 'L.1', wd(2, '10:00'), X4_DUE, 'online'),
  // Sở Tư pháp: two done early
  receipt('Y-1', 'L-TP', 'L.2', wd(4, '08:00'), wd(5, '17:00'), 'online'),
  ev('Y-1', 'processed', wd(5, '10:00')),
  receipt('Y-2', 'L-TP', 'L.2', wd(4, '09:00'), wd(5, '17:00'), 'online'),
  ev('Y-2', 'result_returned', wd(5, '15:00'), { electronicResult: true }),
  // Phường Hồng Gai: one late, one early
  receipt('Z-1', 'L-HG', 'L.2', wd(10, '08:00'), wd(11, '17:00'), 'counter'),
  ev('Z-1', 'processed', wd(12, '10:00')),
  receipt('Z-2', 'L-HG', 'L.2', wd(10, '08:30'), wd(11, '17:00'), 'online'),
  ev('Z-2', 'processed', wd(11, '09:00')),
]

/** mulberry32: the same background every run. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Six months of dossiers (this one to date and the five before) across the seeded departments and localities,
 * received in working hours, some units late more often than others, so rankings, the trend and the wall look
 * like a province's. None is in the test's own units.
 */
function background(units: readonly string[]): Record<string, unknown>[] {
  const rnd = random(20260301)
  const out: Record<string, unknown>[] = []
  const [y, m] = TODAY.split('-').map(Number) as [number, number]
  for (let back = 0; back < 6; back++) {
    const start = vnMidnight(dayNumberOf(new Date(Date.UTC(y, m - 1 - back, 1)).toISOString().slice(0, 10)))
    const end = Math.min(NOW - 3_600_000, vnMidnight(dayNumberOf(new Date(Date.UTC(y, m - back, 1)).toISOString().slice(0, 10))))
    const span = cal.workingMsBetween(start, end)
    if (span <= 0) continue
    units.forEach((unit, u) => {
      const lateness = (u % 6) * 0.07
      const n = 2 + Math.floor(rnd() * 5)
      for (let k = 0; k < n; k++) {
        const id = `BG-${unit}-${back}-${k}`
        const at = cal.addWorkingMs(start, rnd() * span)
        const proc = PROCEDURES[Math.floor(rnd() * PROCEDURES.length)]!
        const due = cal.addWorkingDays(at, proc.days)
        const r = rnd()
        const channel = r < 0.5 ? 'online' : r < 0.93 ? 'counter' : 'post'
        out.push(receipt(id, unit, proc.code, at, due, channel))
        const done = cal.addWorkingDays(at, proc.days * (rnd() < lateness ? 1.15 + rnd() * 0.8 : 0.2 + rnd() * 0.75))
        if (done < NOW - 60_000) out.push(ev(id, 'processed', done, { electronicResult: rnd() < 0.6 }))
      }
    })
  }
  return out
}

// --- the page -----------------------------------------------------------------------------------------------

/** A page recording its console errors; Chromium logs each refused fetch (a 403 asked for) as one. */
async function newPage(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  return page
}

async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/login`)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.waitForURL((url) => url.pathname !== '/login')
}

const tileValue = (page: Page, tile: string) => page.locator(`[data-testid=tile-${tile}] .value`).textContent()

describe.skipIf(!CHROMIUM_AVAILABLE)('the leaders’ performance page in Chromium', () => {
  // over the real services when configured, like the wall suite: the page talks to the server alone
  const target = STACK_TARGETS.at(-1)!
  let t: StackTarget
  let stack: Stack
  let base: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let dashboardsDir: string
  const errors: string[] = []

  async function publish(events: readonly Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < events.length; i += 400) {
      await stack.pub.publishAsync(`${stack.topicRoot}/dossier/QN-MOTCUA`, JSON.stringify(events.slice(i, i + 400)), { qos: 1 })
    }
  }

  beforeAll(async () => {
    dashboardsDir = await mkdtemp(join(tmpdir(), 'ioc-leaders-dashboards-'))
    await cp(join(ROOT, 'dashboards', 'operations.yaml'), join(dashboardsDir, 'operations.yaml'))
    t = await openStack(target, { DOSSIER_RANKING_MIN: '2', DASHBOARDS_DIR: dashboardsDir }, { wall: true })
    stack = t.stack
    base = stack.server.url
    const db = t.db.db
    await db.query(
      `INSERT INTO units (id, parent_id, name, level, type) SELECT u.id, 'QN', u.name, u.level, u.type FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u (id, name, level, type) ON CONFLICT DO NOTHING`,
      [UNITS.map((u) => u.id), UNITS.map((u) => u.name), UNITS.map((u) => u.level), UNITS.map((u) => u.type)],
    )
    await db.query(
      `INSERT INTO procedures (code, name, field, legal_days, online_level, has_fee) SELECT p.code, p.name, p.field, p.days, 'full', false FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[]) AS p (code, name, field, days) ON CONFLICT DO NOTHING`,
      [PROCEDURES.map((p) => p.code), PROCEDURES.map((p) => p.name), PROCEDURES.map((p) => p.field), PROCEDURES.map((p) => p.days)],
    )
    await stack.server.resync()
    const seeded = await db.query<{ id: string }>(`(SELECT id FROM units WHERE type = 'department' AND id NOT LIKE 'L-%' ORDER BY id LIMIT 14) UNION ALL (SELECT id FROM units WHERE type = 'locality' AND id NOT LIKE 'L-%' ORDER BY id LIMIT 14)`)
    const events = [...KNOWN, ...background(seeded.rows.map((r) => r.id))]
    await publish(events)
    await waitFor(async () => (await db.query(`SELECT count(*)::int AS n FROM dossier_events`)).rows[0].n, (n) => n >= events.length, `${events.length} dossier events stored`, 60_000, 250)

    await stack.server.accounts.addUser(SYSTEM, { username: 'lanh-dao-tinh', password: 'lanh-dao-tinh-mat-khau', roles: ['leader'], displayName: 'Nguyễn Văn Lãnh Đạo' })
    await stack.server.accounts.addUser(SYSTEM, { username: 'lanh-dao-stp', password: 'lanh-dao-stp-mat-khau', roles: ['leader'], scopeUnitId: 'L-TP' })
    browser = await launchChromium()
    context = await browser.newContext({ viewport: LAPTOP, acceptDownloads: true })
    page = await newPage(context, errors)
    await mkdir(RESULTS, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await closeStack(t ?? {})
    if (dashboardsDir) await rm(dashboardsDir, { recursive: true, force: true })
  })

  describe('a leader of the province', () => {
    it('signs in and lands on the province’s current month, in Vietnamese', async () => {
      await signIn(page, base, 'lanh-dao-tinh', 'lanh-dao-tinh-mat-khau')
      expect(new URL(page.url()).pathname).toBe('/leaders')
      await expect.poll(() => page.getByTestId('period-label').textContent()).toBe(CURRENT_LABEL)
      await page.getByTestId('tile-received').waitFor()
      expect(await page.locator('h1').first().textContent()).toBe('Kết quả giải quyết thủ tục hành chính')
      expect(await page.getByTestId('breadcrumbs').textContent()).toContain('Quảng Ninh')
      expect(errors).toEqual([])
    })

    it('shows last month’s tiles and both rankings from the ingested dossiers, unranked units greyed after the ranked', async () => {
      await page.getByRole('button', { name: 'Kỳ trước' }).click()
      await expect.poll(() => page.getByTestId('period-label').textContent()).toBe(LAST.label)
      expect(new URL(page.url()).searchParams.get('from')).toBe(LAST.first)
      const xd = page.locator('[data-testid=ranking-department] tr[data-unit=L-XD]')
      await xd.waitFor()
      // 4 received; 1 early + 1 on time of 3 done + 1 overdue
      await expect.poll(() => xd.locator('td').nth(2).textContent()).toBe('4')
      expect(await xd.locator('td').nth(4).textContent()).toBe('50,0 %')
      expect(await page.locator('[data-testid=ranking-department] tr[data-unit=L-TP] td').nth(4).textContent()).toBe('100,0 %')
      expect(await page.locator('[data-testid=ranking-locality] tr[data-unit=L-HG]').count()).toBe(1)
      // ranked rows first, then the greyed ones (the demo units with fewer than 2 judged dossiers, if any)
      const ranks = await page.locator('[data-testid=ranking-department] tbody tr').evaluateAll((rows) => rows.map((r) => r.classList.contains('unranked')))
      expect(ranks.indexOf(true) === -1 || ranks.slice(ranks.indexOf(true)).every(Boolean)).toBe(true)
      expect(Number((await tileValue(page, 'received'))!.replace(/\D/g, ''))).toBeGreaterThanOrEqual(8)
      // the 766 score: measured points out of the measured maximum, and the indicators events cannot measure said so
      expect(await page.getByTestId('score-766').textContent()).toMatch(/điểm đo được/)
      expect(await page.locator('[data-testid=score-766] ~ table tr[data-indicator="1.x"]').textContent()).toContain('không đo được')
      // citizen reports measure 5.2 and 5.3; with none handled yet, 5.2 has its full points as the portal gives them
      expect(await page.locator('[data-testid=score-766] ~ table tr[data-indicator="5.2"]').textContent()).not.toContain('không đo được')
      await page.getByTestId('trend-chart').waitFor()
      expect(await page.locator('[data-testid=trend-chart] g[data-month]').count()).toBeGreaterThanOrEqual(6)
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(RESULTS, 'leaders-1366x768.png') })
      await page.screenshot({ path: join(RESULTS, 'leaders-full-1366.png'), fullPage: true })
      expect(errors).toEqual([])
    })

    it('drills down from the province to a unit, its procedure, the late and overdue dossiers and one timeline', async () => {
      await page.locator('[data-testid=ranking-department] tr[data-unit=L-XD] [data-testid=open-unit]').click()
      await expect.poll(() => new URL(page.url()).searchParams.get('unit')).toBe('L-XD')
      await expect.poll(() => tileValue(page, 'received')).toBe('4')
      expect(await page.locator('[data-testid=tile-received] .parts').textContent()).toMatch(/Trực tiếp\s*1.*Trực tuyến\s*2.*Bưu chính\s*1/s)
      expect(await tileValue(page, 'on-time')).toBe('50,0 %')
      expect(await page.getByTestId('breadcrumbs').textContent()).toMatch(/Quảng Ninh.*›?.*Sở Xây dựng \(thử nghiệm\)/s)
      // a department ranks nothing below it: its procedures instead
      expect(await page.getByTestId('rankings-department').count()).toBe(0)

      await page.locator('[data-testid=procedure-row][data-procedure="L.1"] [data-testid=open-procedure]').click()
      await expect.poll(() => new URL(page.url()).searchParams.get('filter')).toBe('late_or_overdue')
      expect(new URL(page.url()).searchParams.get('procedure')).toBe('L.1')
      const rows = page.getByTestId('dossier-row')
      await expect.poll(() => rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-dossier')))).toEqual(['X-4', 'X-3'])
      const x3Late = workingDaysLate(X3_DUE, X3_END, cal)
      const x4Late = workingDaysLate(X4_DUE, vnMidnight(dayNumberOf(LAST.last) + 1) - 1, cal)
      expect(await page.locator('[data-dossier=X-3] [data-testid=days-late]').textContent()).toBe(`${x3Late} ngày`)
      expect(await page.locator('[data-dossier=X-4] [data-testid=days-late]').textContent()).toBe(`${x4Late} ngày`)
      expect(await page.getByTestId('breadcrumbs').textContent()).toContain('Cấp giấy phép xây dựng (thử nghiệm)')
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(RESULTS, 'leaders-drilldown-1366x768.png') })

      await page.locator('[data-dossier=X-3] [data-testid=open-dossier]').click()
      await expect.poll(() => page.locator('[data-testid=timeline] li').evaluateAll((l) => l.map((x) => x.getAttribute('data-event')))).toEqual(['received', 'processed'])
      expect(await page.getByTestId('dossier-state').textContent()).toContain('Trễ hạn')
      await page.screenshot({ path: join(RESULTS, 'leaders-timeline-1366x768.png') })

      // the URL is the view: a reload shows the same dossier
      await page.reload()
      await expect.poll(() => page.locator('[data-testid=timeline] li').count()).toBe(2)

      // and the breadcrumbs walk back, one step at a time
      await page.getByTestId('crumb-list').click()
      await page.locator('[data-dossier=X-4]').waitFor()
      await page.getByTestId('crumb-unit').filter({ hasText: 'Sở Xây dựng (thử nghiệm)' }).click()
      await expect.poll(() => tileValue(page, 'received')).toBe('4')
      expect(new URL(page.url()).searchParams.get('filter')).toBeNull()
      expect(errors).toEqual([])
    })

    it('opens the dossiers behind a number: the late count of the done tile lists the late dossier', async () => {
      await page.locator('[data-testid=tile-done] [data-testid=count-late]').click()
      await expect.poll(() => page.getByTestId('dossier-row').evaluateAll((r) => r.map((x) => x.getAttribute('data-dossier')))).toEqual(['X-3'])
      expect(await page.getByTestId('list-filter').inputValue()).toBe('late')
      await page.goBack()
      await expect.poll(() => tileValue(page, 'received')).toBe('4')
      expect(errors).toEqual([])
    })

    it('exports the procedures as CSV and the late list as XLSX, with the rows on screen', async () => {
      const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-procedures-csv').click()])
      const csv = (await readFile((await csvDownload.path())!, 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/)
      expect(csv.length).toBe(2)
      expect(csv[1]).toContain('L.1')
      expect(csv[1]).toContain('Cấp giấy phép xây dựng (thử nghiệm)')

      await page.locator('[data-testid=tile-in-progress] [data-testid=count-overdue]').click()
      await page.locator('[data-dossier=X-4]').waitFor()
      await page.getByTestId('list-filter').selectOption('late_or_overdue')
      await expect.poll(() => page.getByTestId('dossier-row').count()).toBe(2)
      const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-list-xlsx').click()])
      const book = new ExcelJS.Workbook()
      await book.xlsx.load((await readFile((await xlsxDownload.path())!)) as unknown as ArrayBuffer)
      const values = (book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.filter((c) => c !== undefined && c !== null))
      const ids = values.map((r) => r[0]).filter((v) => typeof v === 'string' && /^X-\d$/.test(v))
      expect(ids).toEqual(['X-4', 'X-3'])
      expect(errors).toEqual([])
    })

    it('shows a dossier published over MQTT within 5 seconds, without a reload', async () => {
      await page.locator('[data-testid=crumb-unit]', { hasText: 'Sở Xây dựng (thử nghiệm)' }).click()
      await expect.poll(() => tileValue(page, 'received')).toBe('4')
      const started = Date.now()
      await publish([receipt('X-5', 'L-XD', 'L.1', wd(3, '08:00'), wd(8, '17:00'), 'online')])
      await expect.poll(() => tileValue(page, 'received'), { timeout: 5000, interval: 100 }).toBe('5')
      expect(Date.now() - started).toBeLessThan(5000)
      expect(await page.locator('[data-testid=tile-received] .parts').textContent()).toMatch(/Trực tuyến\s*3/)
      expect(errors).toEqual([])
    })

    it('prints on A4: no bars or buttons, dark on white, rows kept whole, the chart within the page', async () => {
      await page.locator('[data-testid=crumb-unit]').first().click()
      await page.locator('[data-testid=ranking-department] tr[data-unit=L-XD]').waitFor()
      await page.setViewportSize(A4)
      await page.emulateMedia({ media: 'print' })
      onTestFinished(async () => {
        await page.emulateMedia({ media: 'screen' })
        await page.setViewportSize(LAPTOP)
      })
      const look = await page.evaluate(() => {
        const shown = (sel: string) => Array.from(document.querySelectorAll<HTMLElement>(sel)).filter((e) => e.offsetParent !== null || getComputedStyle(e).display !== 'none').length
        const chart = document.querySelector('[data-testid=trend-chart]')!.getBoundingClientRect()
        return {
          buttons: Array.from(document.querySelectorAll('button, select, input')).filter((e) => getComputedStyle(e).display !== 'none').length,
          header: shown('header.bar'),
          background: getComputedStyle(document.body).backgroundColor,
          text: getComputedStyle(document.body).color,
          rowBreak: getComputedStyle(document.querySelector('[data-testid=ranking-department] tbody tr')!).breakInside,
          chartRight: chart.right,
          width: document.documentElement.clientWidth,
          title: document.querySelector('.print-head h1')?.textContent ?? null,
        }
      })
      expect(look).toMatchObject({ buttons: 0, header: 0, background: 'rgb(255, 255, 255)', text: 'rgb(0, 0, 0)', rowBreak: 'avoid' })
      expect(look.chartRight).toBeLessThanOrEqual(look.width)
      expect(look.title).toContain(LAST.label)
      await page.screenshot({ path: join(RESULTS, 'leaders-print-a4.png'), fullPage: true })
      await page.pdf({ path: join(RESULTS, 'leaders-print-a4.pdf'), format: 'A4' })
      expect(errors).toEqual([])
    })

    it('speaks English with the language switch, keeping the view', async () => {
      await page.getByTestId('language').click()
      await expect.poll(() => page.locator('h1').first().textContent()).toBe('Administrative procedure performance')
      expect(new URL(page.url()).searchParams.get('lang')).toBe('en')
      expect(await page.getByTestId('rankings-department').locator('h2').textContent()).toBe('Departments ranked')
      await page.getByTestId('language').click()
      expect(errors).toEqual([])
    })

    it('says a year before the first dossier the IOC holds is counted only from that day', async () => {
      const year = Number(TODAY.slice(0, 4)) - 2
      await page.goto(`${base}/leaders?from=${year}-01-01&to=${year}-12-31`)
      const notice = page.getByTestId('partial-data')
      await notice.waitFor()
      const kpis = (await (await stack.api(`/api/dossiers/kpis?from=${year}-01-01&to=${year}-12-31`)).json()) as { dataFrom: string }
      const [y, m, d] = kpis.dataFrom.split('-')
      expect(await notice.textContent()).toBe(`Hệ thống có số liệu hồ sơ từ ngày ${d}/${m}/${y}: số liệu của kỳ này chỉ tính từ ngày đó, chưa đầy đủ cả kỳ.`)
      await page.screenshot({ path: join(RESULTS, 'leaders-partial-year-1366x768.png') })
      // the current month, which the data covers (it holds last month's dossiers), says nothing of the kind
      await page.goto(`${base}/leaders`)
      await expect.poll(() => page.getByTestId('period-label').textContent()).toBe(CURRENT_LABEL)
      await page.getByTestId('tile-received').waitFor()
      expect(await page.getByTestId('partial-data').count()).toBe(0)
      expect(errors).toEqual([])
    })
  })

  describe('a leader scoped to one department', () => {
    let scoped: Page
    const scopedErrors: string[] = []

    beforeAll(async () => {
      scoped = await newPage(await browser.newContext({ viewport: LAPTOP }), scopedErrors)
      await signIn(scoped, base, 'lanh-dao-stp', 'lanh-dao-stp-mat-khau')
    })

    it('sees only the scope: its figures, no ranking of others, the scope named', async () => {
      await scoped.goto(`${base}/leaders?period=month&from=${LAST.first}&to=${LAST.last}`)
      await expect.poll(() => tileValue(scoped, 'received')).toBe('2')
      const crumbs = await scoped.getByTestId('breadcrumbs').textContent()
      expect(crumbs).toContain('Sở Tư pháp (thử nghiệm)')
      expect(crumbs).not.toContain('Quảng Ninh')
      expect(await scoped.getByTestId('scope').textContent()).toContain('Sở Tư pháp (thử nghiệm)')
      expect(await scoped.getByTestId('rankings-department').count()).toBe(0)
      expect(scopedErrors).toEqual([])
    })

    it('is refused another unit by the API, and the page says so', async () => {
      const res = await scoped.request.get(`${base}/api/dossiers/kpis?unit=L-XD&from=${LAST.first}&to=${LAST.last}`)
      expect(res.status()).toBe(403)
      expect((await scoped.request.get(`${base}/api/dossiers/X-3`)).status()).toBe(403)
      await scoped.goto(`${base}/leaders?period=month&from=${LAST.first}&to=${LAST.last}&unit=L-XD`)
      await scoped.getByTestId('forbidden').waitFor()
      expect(await scoped.locator('[data-testid=tile-received]').count()).toBe(0)
      // back to the scope from the refusal
      await scoped.getByTestId('forbidden').getByRole('link').click()
      await expect.poll(() => tileValue(scoped, 'received')).toBe('2')
      // the refusals asked for are the only console errors
      expect(scopedErrors.filter((e) => !/status of 403/.test(e))).toEqual([])
    })
  })

  describe('the wall’s dossier screen', () => {
    const walls: WallPage[] = []
    afterAll(async () => {
      await Promise.all(walls.map((w) => w.close()))
    })

    it.each([FULL_HD, UHD])('fills a $width×$height wall without scrollbars or cut rows', async (size) => {
      const wall = await openWall(browser, `${base}/?dashboard=operations&screen=administrative-reform`, size, stack.wallLink)
      walls.push(wall)
      const { page: w, errors: wallErrors } = wall
      await w.locator('[data-testid=dossier-kpis][data-ready=true]').waitFor({ timeout: 20_000 })
      await w.locator('[data-testid=dossier-ranking-department] li[data-unit]').first().waitFor()
      await w.locator('[data-testid=dossier-due-soon] li[data-dossier]').first().waitFor()
      await w.screenshot({ path: join(RESULTS, `wall-dossiers-${size.width}x${size.height}.png`) })
      const layout = await pageLayout(w)
      expect(layout.viewport).toEqual(size)
      expect(layout.scroll).toEqual(size)
      expect(layout.panels).toBe(4)
      expect(layout.panelsOutside).toEqual([])
      expect(layout.contentCut).toEqual([])
      expect(wallErrors).toEqual([])
    })

    it('follows a dossier received now within 5 seconds', async () => {
      const { page: w, errors: wallErrors } = walls[0]!
      const before = Number((await w.getByTestId('wall-received').textContent())!.replace(/\D/g, ''))
      await publish([receipt('W-NOW', 'L-XD', 'L.2', NOW, cal.addWorkingDays(NOW, 1), 'online')])
      await expect.poll(async () => Number((await w.getByTestId('wall-received').textContent())!.replace(/\D/g, '')), { timeout: 5000, interval: 100 }).toBe(before + 1)
      expect(wallErrors).toEqual([])
    })
  })

  describe('the working-day calendar in the admin page', () => {
    let admin: Page
    const adminErrors: string[] = []
    const DAY = `${TODAY.slice(0, 4)}-12-26`

    beforeAll(async () => {
      admin = await newPage(await browser.newContext({ viewport: LAPTOP }), adminErrors)
      await signIn(admin, base, 'test-admin', 'test-admin-password')
      await admin.goto(`${base}/admin#calendar`)
    })

    it('lists the year’s holidays and adds a make-up working day', async () => {
      await admin.getByTestId('calendar-row').first().waitFor()
      expect(await admin.getByTestId('calendar-days').textContent()).toContain('Ngày lễ (nạp sẵn)')
      const form = admin.getByTestId('calendar-form')
      await form.getByLabel('Ngày', { exact: true }).fill(DAY)
      await form.getByLabel('Ngày làm việc').check()
      await form.getByLabel('Ghi chú').fill('Làm bù (thử nghiệm)')
      await form.getByRole('button', { name: 'Lưu' }).click()
      const row = admin.locator(`[data-testid=calendar-row][data-day="${DAY}"]`)
      await expect.poll(() => row.textContent()).toContain('Làm bù (thử nghiệm)')
      expect(await row.textContent()).toContain('Ngày làm việc')
      expect(await row.textContent()).toContain('Điều chỉnh')
      const year = (await (await stack.api(`/api/calendar?year=${DAY.slice(0, 4)}`)).json()) as { days: { day: string; working: boolean; source: string }[] }
      expect(year.days.find((d) => d.day === DAY)).toMatchObject({ working: true, source: 'override' })
      await admin.screenshot({ path: join(RESULTS, 'admin-calendar-1366x768.png') })
      expect(adminErrors).toEqual([])
    })

    it('edits the day’s note, then removes the override after asking', async () => {
      const row = admin.locator(`[data-testid=calendar-row][data-day="${DAY}"]`)
      await row.getByTestId('calendar-edit').click()
      const form = admin.getByTestId('calendar-form')
      expect(await form.getByLabel('Ngày', { exact: true }).inputValue()).toBe(DAY)
      await form.getByLabel('Ghi chú').fill('Làm bù cho ngày nghỉ (thử nghiệm)')
      await form.getByRole('button', { name: 'Lưu' }).click()
      await expect.poll(() => row.textContent()).toContain('Làm bù cho ngày nghỉ (thử nghiệm)')

      await row.getByTestId('calendar-remove').click()
      await admin.getByTestId('confirm').click()
      await expect.poll(() => row.count()).toBe(0)
      const year = (await (await stack.api(`/api/calendar?year=${DAY.slice(0, 4)}`)).json()) as { days: { day: string }[] }
      expect(year.days.some((d) => d.day === DAY)).toBe(false)
      expect(adminErrors).toEqual([])
    })

    it('routes a category of citizen report in an area to another agency, and removes the rule after asking', async () => {
      await admin.goto(`${base}/admin#reportRoutes`)
      const rules = admin.getByTestId('route-rules')
      await rules.locator('tr[data-rule="QN/power"]').waitFor()
      const form = admin.getByTestId('route-form')
      await form.getByTestId('route-unit').selectOption('QN-HL')
      await form.getByTestId('route-category').selectOption('health')
      await form.getByTestId('route-agency').selectOption('QN-SNNMT')
      await form.getByRole('button', { name: 'Lưu' }).click()
      const row = rules.locator('tr[data-rule="QN-HL/health"]')
      await expect.poll(() => row.textContent()).toContain('Sở Nông nghiệp và Môi trường')
      const stored = (await (await stack.api('/api/report-routes')).json()) as { rules: { unitId: string; category: string; agencyId: string }[] }
      expect(stored.rules).toContainEqual(expect.objectContaining({ unitId: 'QN-HL', category: 'health', agencyId: 'QN-SNNMT' }))
      await admin.getByTestId('route-filter').fill('Hạ Long')
      await admin.screenshot({ path: join(RESULTS, 'admin-report-routes-1366x768.png') })
      await row.getByRole('button', { name: 'Xóa' }).click()
      await admin.getByTestId('confirm').click()
      await expect.poll(() => row.count()).toBe(0)
      expect(adminErrors).toEqual([])
    })
  })
})
