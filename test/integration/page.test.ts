// What a person sees: the page served at / loads in Chromium, goes live over Socket.IO and shows the
// stations with their VN_AQI, without console errors. Screenshots land in test-results/ for a human look.
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envPayload } from '../../contract/index.ts'
import { openTestBroker, type TestBroker } from '../helpers/brokers.ts'
import { embeddedTestDatabase, type TestDatabase } from '../helpers/databases.ts'
import { startStack, type Stack } from '../helpers/stack.ts'
import { CLIENT_DIR, startServer, serverOptions, type RunningServer } from '../../server/service.ts'

const CHROMIUM = '/usr/bin/chromium'
// CI installs Chromium (.ci/run); a developer machine without it skips these checks, CI never does
const available = existsSync(CHROMIUM) || process.env.CI === '1'

describe.skipIf(!available)('the live page in Chromium', () => {
  let db: TestDatabase
  let broker: TestBroker
  let stack: Stack
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    db = await embeddedTestDatabase()
    broker = await openTestBroker('embedded')
    stack = await startStack(db, broker)
    // a second server with the static client, on the same live feed
    server = await startServer({ ...serverOptions(stack.config, db.pool, broker.url, CLIENT_DIR), mqttVersion: broker.version, topicRoot: stack.topicRoot, port: 0, host: '127.0.0.1' })
    await server.liveReady
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
    mkdirSync('test-results', { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await stack?.stop()
    await broker?.close()
    await db?.close()
  })

  it('goes live and shows a station AQI that a published reading changes, without console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(server.url)
    await page.locator('#conn.live').waitFor({ timeout: 15_000 })
    const now = Date.now()
    await stack.pub.publishAsync(`${stack.topicRoot}/env/QN-KK-010`, envPayload(now - 3_600_000, { pm25: 40 }), { qos: 1 })
    await stack.pub.publishAsync(`${stack.topicRoot}/env/QN-KK-010`, envPayload(now, { pm25: 87.5 }), { qos: 1 })
    // NowCast of 87.5 and 40 gives AQI 136 (see pipeline.test.ts); the page shows it in the Kém colour
    const badge = page.locator('#air tbody .aqi', { hasText: '136' })
    await badge.waitFor({ timeout: 15_000 })
    expect(await badge.getAttribute('title')).toBe('Kém')
    expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 126, 0)')
    await page.screenshot({ path: 'test-results/live-page-1600x1000.png' })
    expect(errors).toEqual([])
  })
})
