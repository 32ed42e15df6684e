// A wall rotating from screen to screen keeps MapLibre's web workers: a map screen that comes round while the
// server is away (a restart, a network cut) still draws, because its workers were loaded with the first map
// and never fetched again. (By default MapLibre ends them with the last map and fetches them for the next.)
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_AVAILABLE, launchChromium, openWall, waitForMapsDrawn, waitUntilLive, type WallPage } from '../helpers/browser.ts'
import { ROOT } from '../helpers/processes.ts'
import { closeStack, openStack, STACK_TARGETS, type StackTarget } from '../helpers/stack.ts'
import type { Browser } from 'playwright-core'

describe.skipIf(!CHROMIUM_AVAILABLE)('the wall’s maps across screen changes', () => {
  let t: StackTarget
  let browser: Browser
  let wall: WallPage | null = null
  let dashboardsDir: string

  beforeAll(async () => {
    // the shipped dashboard with every screen shown for 5 s (the shortest a screen may stay)
    dashboardsDir = await mkdtemp(join(tmpdir(), 'ioc-wall-workers-'))
    await cp(join(ROOT, 'dashboards', 'operations.yaml'), join(dashboardsDir, 'operations.yaml'))
    const yaml = await readFile(join(dashboardsDir, 'operations.yaml'), 'utf8')
    await writeFile(join(dashboardsDir, 'operations.yaml'), yaml.replace(/seconds: \d+/g, 'seconds: 5'))
    t = await openStack(STACK_TARGETS[0]!, { DASHBOARDS_DIR: dashboardsDir }, { wall: true })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await wall?.close()
    await browser?.close()
    await closeStack(t ?? {})
    if (dashboardsDir) await rm(dashboardsDir, { recursive: true, force: true })
  })

  it('draws the next screen’s map when its workers could no longer be fetched', { timeout: 120_000 }, async () => {
    wall = await openWall(browser, `${t.stack.server.url}/?dashboard=operations`, undefined, t.stack.wallLink)
    const { page, errors } = wall
    await waitUntilLive(page)
    await waitForMapsDrawn(page)
    // from now on the worker script cannot be fetched, as while the server is away
    let refused = 0
    await page.route('**/maplibre-gl-worker*', (route) => {
      refused++
      return route.abort('connectionrefused')
    })
    // the report screen, the last of four, brings a map of its own
    await page.locator('[data-testid=report-map][data-ready=true]').waitFor({ timeout: 30_000 })
    expect(refused).toBe(0)
    expect(errors).toEqual([])
  })
})
