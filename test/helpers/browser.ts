// The wall in a real Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (no
// browser download), drawing WebGL through SwiftShader so MapLibre renders headless. Each page records its
// console errors and uncaught exceptions, and a test asserts there were none.
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { AQI_BANDS, type AqiBandKey } from '../../contract/index.ts'

export const CHROMIUM = '/usr/bin/chromium'

/** How far the page is wider than the window (> 0: it scrolls sideways, which an office laptop must not). */
export const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
/** CI installs Chromium (.ci/run); a developer machine without it skips browser tests, CI never does. */
export const CHROMIUM_AVAILABLE = existsSync(CHROMIUM) || process.env.CI === '1'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      // no GPU here or in CI: ANGLE over SwiftShader gives MapLibre a software WebGL context
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
}

export interface WallPage {
  page: Page
  /** Console errors and uncaught exceptions, in order. */
  errors: string[]
  close(): Promise<void>
}

/** A fresh page (own context: no cache or storage shared with other tests) at `url`, recording errors. */
/** Opens the wall at `url` in a fresh context, first opening `signIn` (a kiosk link) when given, as a wall display does. */
export async function openWall(browser: Browser, url: string, viewport = { width: 1920, height: 1080 }, signIn?: string): Promise<WallPage> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  if (signIn) await page.goto(signIn)
  await page.goto(url)
  return { page, errors, close: () => context.close() }
}

/** The connection pill says live: the snapshot arrived over Socket.IO. */
export async function waitUntilLive(page: Page, timeout = 20_000): Promise<void> {
  await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout })
}

/** Every map on the screen has its layers. */
export async function waitForMaps(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => {
    const maps = Array.from(document.querySelectorAll('[data-testid=map]'))
    return maps.length > 0 && maps.every((m) => m.getAttribute('data-ready') === 'true')
  }, null, { timeout })
}

/**
 * Waits until every map canvas shows a drawing: data-ready says the layers are added, not that a frame with
 * them reached the screen (SwiftShader on two cores can take a few seconds for the first one).
 */
export async function waitForMapsDrawn(page: Page, timeout = 30_000): Promise<PixelStats[]> {
  await waitForMaps(page, timeout)
  const deadline = Date.now() + timeout
  for (;;) {
    const canvases = page.locator('[data-testid=map] canvas.maplibregl-canvas')
    const stats: PixelStats[] = []
    for (let i = 0; i < (await canvases.count()); i++) stats.push(await pngPixelStats(page, await canvases.nth(i).screenshot()))
    // a blank or failed canvas has one or two colours; boundaries, fills and antialiased circles have hundreds
    if (stats.length && stats.every((s) => s.colours > MIN_DRAWN_COLOURS)) return stats
    if (Date.now() > deadline) throw new Error(`timed out waiting for the map to draw; colours per canvas: ${stats.map((s) => s.colours).join(', ')}`)
    await page.waitForTimeout(250)
  }
}

/** Distinct colours above which a map canvas counts as drawn. */
export const MIN_DRAWN_COLOURS = 200

export interface PageLayout {
  viewport: { width: number; height: number }
  /** documentElement's scroll size: equal to the viewport when nothing overflows. */
  scroll: { width: number; height: number }
  /** Widget panels that reach outside the viewport, with their rectangles. */
  panelsOutside: { widget: string; left: number; top: number; right: number; bottom: number }[]
  panels: number
  /** Elements inside a panel whose content is cut off (a list row, a chart) by more than a pixel. */
  contentCut: { widget: string; element: string; overflow: number }[]
}

export function pageLayout(page: Page): Promise<PageLayout> {
  return page.evaluate(() => {
    const vw = window.innerWidth
    const vh = window.innerHeight
    const panels = Array.from(document.querySelectorAll<HTMLElement>('[data-widget]'))
    const outside = panels
      .map((p) => ({ widget: p.dataset.widget ?? '', r: p.getBoundingClientRect() }))
      .filter(({ r }) => r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5 || r.width === 0 || r.height === 0)
      .map(({ widget, r }) => ({ widget, left: r.left, top: r.top, right: r.right, bottom: r.bottom }))
    // panels hide their overflow, so cut content shows only as an element reaching past its panel
    const cut: { widget: string; element: string; overflow: number }[] = []
    for (const p of panels) {
      const box = p.getBoundingClientRect()
      for (const el of Array.from(p.querySelectorAll<HTMLElement>('li, .tile > *, h2'))) {
        const r = el.getBoundingClientRect()
        const overflow = Math.max(r.bottom - box.bottom, r.right - box.right)
        if (r.height > 0 && overflow > 1) cut.push({ widget: p.dataset.widget ?? '', element: (el.textContent ?? '').trim().slice(0, 60), overflow: Math.round(overflow) })
        // a row that clips its own cells (a name pushed down by a tall sparkline)
        if (el.tagName === 'LI') {
          for (const cell of Array.from(el.children)) {
            const c = cell.getBoundingClientRect()
            const spill = Math.max(c.bottom - r.bottom, r.top - c.top)
            if (c.height > 0 && spill > 1) cut.push({ widget: p.dataset.widget ?? '', element: `${cell.tagName.toLowerCase()} in '${(el.textContent ?? '').trim().slice(0, 40)}'`, overflow: Math.round(spill) })
          }
        }
      }
    }
    const de = document.documentElement
    return { viewport: { width: vw, height: vh }, scroll: { width: de.scrollWidth, height: de.scrollHeight }, panelsOutside: outside, panels: panels.length, contentCut: cut }
  })
}

export interface PixelStats {
  width: number
  height: number
  /** Distinct RGB colours in the image. */
  colours: number
  /** Pixels within a small distance of each VN_AQI band colour (circles are drawn at 95 % opacity). */
  bandPixels: Record<AqiBandKey, number>
  /** Pixels within the same distance of each extra colour asked for, by name. */
  extraPixels: Record<string, number>
}

/**
 * Decodes a PNG (a Playwright screenshot) in the page through a 2D canvas and counts its colours. In the
 * page because the browser already decodes PNG; the map's own WebGL canvas cannot be read back
 * (preserveDrawingBuffer is off), but a compositor screenshot of it can.
 */
export function pngPixelStats(page: Page, png: Buffer, tolerance = 16, extra: Record<string, string> = {}): Promise<PixelStats> {
  const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16))
  const bands = [...AQI_BANDS.map((b) => ({ key: b.key, rgb: [...b.rgb], extra: false })), ...Object.entries(extra).map(([key, h]) => ({ key, rgb: hex(h), extra: true }))]
  return page.evaluate(
    async ({ dataUrl, bands, tolerance }) => {
      const img = new Image()
      img.src = dataUrl
      await img.decode()
      const canvas = document.createElement('canvas')
      canvas.width = img.naturalWidth
      canvas.height = img.naturalHeight
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!
      ctx.drawImage(img, 0, 0)
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data
      const colours = new Set<number>()
      const counts = Object.fromEntries(bands.map((b) => [b.key, 0])) as Record<string, number>
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!
        const g = data[i + 1]!
        const b = data[i + 2]!
        colours.add((r << 16) | (g << 8) | b)
        for (const band of bands) {
          if (Math.abs(r - band.rgb[0]!) <= tolerance && Math.abs(g - band.rgb[1]!) <= tolerance && Math.abs(b - band.rgb[2]!) <= tolerance) counts[band.key]!++
        }
      }
      const pick = (extra: boolean) => Object.fromEntries(bands.filter((b) => b.extra === extra).map((b) => [b.key, counts[b.key]!]))
      return { width: canvas.width, height: canvas.height, colours: colours.size, bandPixels: pick(false), extraPixels: pick(true) }
    },
    { dataUrl: `data:image/png;base64,${png.toString('base64')}`, bands, tolerance },
  ) as Promise<PixelStats>
}
