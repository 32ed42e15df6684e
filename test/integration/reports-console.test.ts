// The citizen-report consoles (/reports) as a 1022 dispatcher and a power-company clerk use them, in a real
// Chromium over a running stack (real database and broker), each in a browser context of their own on a
// 1366×768 laptop: a citizen's report sent through Open311 reaches the dispatcher's queue; the dispatcher
// forwards it (a new report: classified first) to the agency the routing rules propose; the clerk, whose inbox
// was open all along, sees it appear without a reload, accepts and resolves it, and never sees the reporter's
// contact; the dispatcher publishes the result, which Open311 then shows as closed. Also: a report taken by
// phone, and a refusal from the server placed beside the field it names. The steps run in order, as one shift.
// Screenshots land in test-results/ for a human look (docs/reports-*.png are copies of them).
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM } from '../../server/shared/audit.ts'
import { CHROMIUM_AVAILABLE, horizontalOverflow, launchChromium } from '../helpers/browser.ts'
import { ROOT } from '../helpers/processes.ts'
import { closeStack, openStack, STACK_TARGETS, type Stack, type StackTarget } from '../helpers/stack.ts'

const LAPTOP = { width: 1366, height: 768 }
const RESULTS = join(ROOT, 'test-results')
const OPEN311_KEY = 'citizen-app-key-console-0123456789'
const AGENCY = 'QN-DLQN'
const RESULT = 'Điện lực Hạ Long đã thay dây, cấp điện trở lại lúc 15:40.'
/** How long an answer from the server may take to show (the embedded database on two busy cores is slow). */
const ANSWER = { timeout: 10_000 }

/** A few other reports around the province, so the queue and its map look like a shift's. */
const BACKGROUND = [
  { service_code: 'env-waste', lat: '21.012', long: '107.292', description: 'Rác thải tồn đọng ba ngày ở đầu ngõ, bốc mùi hôi' },
  { service_code: 'traffic-road', lat: '21.036', long: '106.771', description: 'Ổ gà lớn giữa đường, xe máy đã ngã hai lần' },
  { service_code: 'lighting', lat: '21.081', long: '106.522', description: 'Đèn đường tắt cả đoạn dài gần trường học' },
  { service_code: 'water', lat: '20.942', long: '106.802', description: 'Vỡ ống nước, nước chảy tràn ra mặt đường' },
  { service_code: 'tourism', lat: '21.528', long: '107.962', description: 'Nhà hàng chặt chém du khách, giá không niêm yết' },
]

/** A page recording its console errors and uncaught exceptions. */
async function newPage(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  return page
}

async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/login?next=/reports`)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.waitForURL((url) => url.pathname === '/reports')
}

const row = (page: Page, id: string) => page.locator(`[data-testid=report-row][data-report="${id}"]`)
const detail = (page: Page, id: string) => page.locator(`[data-testid=report-detail][data-report="${id}"]`)
const stateOf = (page: Page, id: string) => detail(page, id).getAttribute('data-state')
const actionsOf = async (page: Page, id: string) => ((await detail(page, id).getByTestId('actions').getAttribute('data-actions')) ?? '').split(' ').filter(Boolean)

describe.skipIf(!CHROMIUM_AVAILABLE)('the citizen-report consoles in Chromium', () => {
  // over the real services when configured: the page talks to the server alone
  const target = STACK_TARGETS.at(-1)!
  let t: StackTarget
  let stack: Stack
  let base: string
  let browser: Browser
  let dispatcher: Page
  let agency: Page
  let reportId: string
  /** The report the dispatcher takes by phone. */
  let phoned: string
  const errors: string[] = []

  const post311 = async (fields: Record<string, string>) => {
    const res = await fetch(`${base}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: OPEN311_KEY, ...fields }),
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id
  }

  beforeAll(async () => {
    t = await openStack(target, { OPEN311_API_KEYS: `citizen-app:${OPEN311_KEY}` }, { wall: true })
    stack = t.stack
    base = stack.server.url
    const accounts = stack.server.accounts
    await accounts.addUser(SYSTEM, { username: 'dispatcher', password: 'dispatcher-password', roles: ['dispatcher'], displayName: 'Trần Thị Tổng Đài' })
    await accounts.addUser(SYSTEM, { username: 'agency', password: 'agency-password', roles: ['agency'], agencyUnitId: AGENCY, displayName: 'Lê Văn Điện Lực' })
    const background = []
    for (const r of BACKGROUND) background.push(await post311(r))
    // two of them already with the construction department, so the queue shows agencies and deadlines
    for (const id of background.slice(1, 3)) {
      for (const body of [{ action: 'classify' }, { action: 'forward', agencyId: 'QN-SXD' }]) {
        const res = await stack.api(`/api/reports/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        expect(res.status, await res.clone().text()).toBeLessThan(300)
      }
    }
    browser = await launchChromium()
    dispatcher = await newPage(await browser.newContext({ viewport: LAPTOP }), errors)
    agency = await newPage(await browser.newContext({ viewport: LAPTOP }), errors)
    await mkdir(RESULTS, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await closeStack(t ?? {})
  })

  it('lists a citizen report sent through Open311 in the dispatcher’s queue, in Vietnamese', async () => {
    reportId = await post311({ service_code: 'power', lat: '20.957', long: '107.105', description: 'Dây điện đứt rơi xuống vỉa hè trước số 12, rất nguy hiểm', first_name: 'An', last_name: 'Nguyễn', phone: '0912345678' })
    await signIn(dispatcher, base, 'dispatcher', 'dispatcher-password')
    await dispatcher.locator('[data-testid=live-state][data-state=live]').waitFor()
    await row(dispatcher, reportId).waitFor()
    expect(await dispatcher.locator('h1').textContent()).toContain('Tiếp nhận, xử lý phản ánh, kiến nghị')
    expect(await row(dispatcher, reportId).textContent()).toMatch(/Sự cố điện.*Khẩn cấp.*Mới.*Dây điện đứt/s)
    expect(await row(dispatcher, reportId).textContent()).toContain('Chưa chuyển')
    // the map plots the page's reports over the units
    await expect.poll(() => dispatcher.getByTestId('queue-map').getAttribute('data-dots'), ANSWER).toBe(String(BACKGROUND.length + 1))
    expect(errors).toEqual([])
  })

  it('opens the agency clerk’s empty inbox, live, with the agency’s name', async () => {
    await signIn(agency, base, 'agency', 'agency-password')
    await agency.locator('[data-testid=live-state][data-state=live]').waitFor()
    await expect.poll(() => agency.getByTestId('agency-name').textContent(), ANSWER).toContain('Công ty Điện lực Quảng Ninh')
    await agency.getByTestId('queue-empty').waitFor()
    // no unit boundaries for agency staff (the wall's data), so no map, and no phone intake
    expect(await agency.getByTestId('queue-map').count()).toBe(0)
    expect(await agency.getByTestId('open-intake').count()).toBe(0)
    // English on request, kept in the URL; Vietnamese again for the rest
    await agency.getByTestId('language').click()
    expect(await agency.locator('h1').textContent()).toContain('Report inbox')
    expect(await agency.getByTestId('queue-empty').textContent()).toBe('No report has been sent to your agency.')
    expect(new URL(agency.url()).searchParams.get('lang')).toBe('en')
    await agency.getByTestId('language').click()
    expect(await agency.locator('h1').textContent()).toContain('Hộp thư phản ánh')
    // a marker a reload would wipe
    await agency.evaluate(() => ((window as unknown as { marker: string }).marker = 'no reload'))
    expect(errors).toEqual([])
  })

  it('forwards the report from its detail to the agency the routing rules propose, classifying it first', async () => {
    await row(dispatcher, reportId).getByTestId('open-report').click()
    await expect.poll(() => stateOf(dispatcher, reportId), ANSWER).toBe('new')
    expect(new URL(dispatcher.url()).searchParams.get('report')).toBe(reportId)
    // only what the server allows from 'new', with forwarding offered through classification
    expect((await actionsOf(dispatcher, reportId)).sort()).toEqual(['classify', 'forward', 'mark_duplicate', 'reject'])
    // the reporter's contact, fetched (and audited) only on request
    expect(await dispatcher.getByTestId('contact-details').count()).toBe(0)
    await dispatcher.getByTestId('show-contact').click()
    await expect.poll(() => dispatcher.getByTestId('contact-details').textContent(), ANSWER).toMatch(/An Nguyễn.*0912345678/s)

    await dispatcher.getByTestId('action-forward').click()
    const form = dispatcher.getByTestId('form-forward')
    expect(await form.getByTestId('field-agency').inputValue()).toBe(AGENCY)
    expect(await form.textContent()).toContain('Đề xuất theo quy tắc phân công: Công ty Điện lực Quảng Ninh')
    await form.getByTestId('template').selectOption('received')
    expect(await form.getByTestId('field-note').inputValue()).toContain('Trung tâm IOC đã tiếp nhận phản ánh của bạn')
    expect(await horizontalOverflow(dispatcher)).toBeLessThanOrEqual(0)
    await dispatcher.screenshot({ path: join(RESULTS, 'reports-dispatcher-1366x768.png') })

    await form.getByTestId('submit').click()
    await expect.poll(() => stateOf(dispatcher, reportId), ANSWER).toBe('forwarded')
    expect(await dispatcher.getByTestId('flash').textContent()).toContain(`Đã chuyển phản ánh #${reportId} đến Công ty Điện lực Quảng Ninh`)
    expect(await detail(dispatcher, reportId).getByTestId('history').locator('li').evaluateAll((l) => l.map((x) => x.getAttribute('data-action')))).toEqual(['submit', 'classify', 'forward'])
    await expect.poll(() => row(dispatcher, reportId).getAttribute('data-state'), ANSWER).toBe('forwarded')
    expect(await row(dispatcher, reportId).textContent()).toContain('Công ty Điện lực Quảng Ninh')
    expect(errors).toEqual([])
  })

  it('shows the forwarded report in the agency’s inbox within seconds, without a reload', async () => {
    await row(agency, reportId).waitFor({ timeout: 5000 })
    expect(await agency.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('no reload')
    expect(await row(agency, reportId).textContent()).toMatch(/Sự cố điện.*Chờ cơ quan tiếp nhận/s)
    // the inbox holds the agency's reports only
    expect(await agency.getByTestId('report-row').count()).toBe(1)
    expect(errors).toEqual([])
  })

  it('lets the clerk accept and resolve it, with no contact details or duplicates anywhere', async () => {
    await row(agency, reportId).getByTestId('open-report').click()
    await expect.poll(() => stateOf(agency, reportId), ANSWER).toBe('forwarded')
    expect(await agency.getByTestId('show-contact').count()).toBe(0)
    expect(await agency.getByTestId('contact').count()).toBe(0)
    expect(await agency.getByTestId('duplicates').count()).toBe(0)
    expect((await actionsOf(agency, reportId)).sort()).toEqual(['accept', 'return'])

    // a return needs its reason: said beside the field, nothing sent
    await agency.getByTestId('action-return').click()
    await agency.getByTestId('form-return').getByTestId('submit').click()
    expect(await agency.getByTestId('form-return').getByTestId('field-error').textContent()).toBe('Chưa nhập.')
    expect(await stateOf(agency, reportId)).toBe('forwarded')

    await agency.getByTestId('action-accept').click()
    await expect.poll(() => stateOf(agency, reportId), ANSWER).toBe('accepted')
    expect(await agency.getByTestId('form-return').count()).toBe(0)
    expect((await actionsOf(agency, reportId)).sort()).toEqual(['note', 'request_extension', 'resolve', 'return', 'start'])

    await agency.getByTestId('action-resolve').click()
    const form = agency.getByTestId('form-resolve')
    await form.getByTestId('field-result').fill(RESULT)
    // a photo of the repaired line, from the clerk's computer
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#2f6f3f' } }).jpeg().toBuffer()
    await form.getByTestId('field-photo-files').setInputFiles({ name: 'sua-xong.jpg', mimeType: 'image/jpeg', buffer: photo })
    expect(await horizontalOverflow(agency)).toBeLessThanOrEqual(0)
    await agency.screenshot({ path: join(RESULTS, 'reports-agency-1366x768.png') })
    await form.getByTestId('submit').click()
    await expect.poll(() => stateOf(agency, reportId), ANSWER).toBe('resolved')
    expect(await detail(agency, reportId).getByTestId('result').textContent()).toBe(RESULT)
    // the uploaded photo shows as its thumbnail, loaded with the clerk's session
    const thumb = detail(agency, reportId).locator('[data-testid=photos] img').first()
    await thumb.waitFor()
    expect(await thumb.getAttribute('src')).toMatch(new RegExp(`^/api/reports/${reportId}/photos/\\d+\\?size=thumb$`))
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 5000 }).toBe(320)
    expect(await actionsOf(agency, reportId)).toEqual([])
    expect(await agency.getByTestId('show-contact').count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('publishes the result from the dispatcher’s console, and Open311 shows the request closed with it', async () => {
    // the open report followed the agency's work live
    await expect.poll(() => stateOf(dispatcher, reportId), { timeout: 5000 }).toBe('resolved')
    expect(await actionsOf(dispatcher, reportId)).toEqual(['publish'])
    await dispatcher.getByTestId('action-publish').click()
    await expect.poll(() => stateOf(dispatcher, reportId), ANSWER).toBe('published')

    const res = await fetch(`${base}/open311/v2/requests/${reportId}.json`)
    expect(res.status).toBe(200)
    const [request] = (await res.json()) as { status: string; status_notes: string }[]
    expect(request).toMatchObject({ status: 'closed', status_notes: RESULT })
    // published reports leave the open queue
    await expect.poll(() => row(dispatcher, reportId).count(), ANSWER).toBe(0)
    // the history, at the foot of the report's column
    await dispatcher.getByTestId('detail-side').evaluate((e) => e.scrollTo(0, e.scrollHeight))
    await dispatcher.screenshot({ path: join(RESULTS, 'reports-dispatcher-history-1366x768.png') })
    expect(errors).toEqual([])
  })

  it('takes a report by phone, and shows the server’s refusal beside the field it names', async () => {
    await dispatcher.getByTestId('open-intake').click()
    const intake = dispatcher.getByTestId('form-intake')
    await intake.getByTestId('submit').click()
    expect(await intake.getByTestId('field-error').textContent()).toBe('Chưa chọn.')
    await intake.getByTestId('intake-category').selectOption('water')
    await intake.getByTestId('intake-description').fill('Mất nước từ sáng cả khu phố')
    await intake.getByTestId('intake-address').fill('Tổ 5, khu 3, phường Hồng Gai')
    await intake.getByTestId('intake-lat').fill('20,955')
    await intake.getByTestId('intake-lon').fill('107.08')
    await intake.getByTestId('intake-name').fill('Phạm Văn Bình')
    await intake.getByTestId('intake-phone').fill('0203 3825 123')
    await dispatcher.screenshot({ path: join(RESULTS, 'reports-intake-1366x768.png') })
    await intake.getByTestId('submit').click()
    await expect.poll(() => dispatcher.locator('[data-testid=report-detail]').getAttribute('data-state'), ANSWER).toBe('new')
    phoned = (await dispatcher.locator('[data-testid=report-detail]').getAttribute('data-report'))!
    await row(dispatcher, phoned).waitFor()
    expect(await dispatcher.getByTestId('description').textContent()).toBe('Mất nước từ sáng cả khu phố')
    expect(await dispatcher.getByTestId('facts').textContent()).toContain('Điện thoại (IOC)')

    // merging into a report that does not exist: the server names the field, the form shows it there
    await dispatcher.getByTestId('action-mark_duplicate').click()
    const merge = dispatcher.getByTestId('form-mark_duplicate')
    await merge.getByTestId('field-duplicate-of').fill('987654321')
    await merge.getByTestId('submit').click()
    await expect.poll(() => merge.getByTestId('field-error').textContent(), ANSWER).toMatch(/^Máy chủ không chấp nhận: duplicateOf: report 987654321 does not exist/)
    expect(await stateOf(dispatcher, phoned)).toBe('new')
    // Chromium logs the refused request itself as a console error: that one was asked for
    const refused = errors.filter((e) => /status of 400/.test(e))
    expect(refused).toHaveLength(1)
    expect(errors.filter((e) => !refused.includes(e))).toEqual([])
  })

  it('moves the deadline when the dispatcher approves the extension the agency asked for', async () => {
    // forwarded by hand to another agency than the one proposed (water goes to the water company)
    await dispatcher.getByTestId('action-forward').click()
    const form = dispatcher.getByTestId('form-forward')
    expect(await form.getByTestId('field-agency').inputValue()).toBe('QN-NSQN')
    await form.getByTestId('field-agency').selectOption(AGENCY)
    await form.getByTestId('submit').click()
    await expect.poll(() => stateOf(dispatcher, phoned), ANSWER).toBe('forwarded')

    await row(agency, phoned).getByTestId('open-report').click()
    await agency.getByTestId('action-accept').click()
    await expect.poll(() => stateOf(agency, phoned), ANSWER).toBe('accepted')
    // three weeks on, 17:00 in Vietnam, typed as the clerk's picker takes it: later than the SLA's own deadline
    // (4 working hours for an urgent report) whatever day the test runs, Tết included
    const day = new Date(Date.now() + 7 * 3_600_000 + 21 * 86_400_000).toISOString().slice(0, 10)
    const [y, m, d] = day.split('-')
    await agency.getByTestId('action-request_extension').click()
    const ask = agency.getByTestId('form-request_extension')
    await ask.getByTestId('field-until').fill(`${day}T17:00`)
    await ask.getByTestId('submit').click()
    expect(await ask.getByTestId('field-error').textContent()).toBe('Chưa nhập.')
    await ask.getByTestId('field-note').fill('Cần thay đoạn ống dài 40 m, chờ vật tư')
    await ask.getByTestId('submit').click()
    await detail(agency, phoned).getByTestId('flag-extension').waitFor()

    await expect.poll(() => actionsOf(dispatcher, phoned), { timeout: 5000 }).toContain('approve_extension')
    expect(await dispatcher.getByTestId('facts').textContent()).toContain(`Cơ quan đề nghị gia hạn đến ${d}/${m}/${y} 17:00`)
    await dispatcher.getByTestId('action-approve_extension').click()
    await expect.poll(() => dispatcher.getByTestId('facts').textContent(), ANSWER).toContain(`Gia hạn đến ${d}/${m}/${y} 17:00`)
    expect(await detail(dispatcher, phoned).getByTestId('flag-extension').count()).toBe(0)
    await expect.poll(() => row(agency, phoned).getByTestId('sla').textContent(), { timeout: 5000 }).toContain(`hạn ${d}/${m} 17:00`)
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([])
  })
})
