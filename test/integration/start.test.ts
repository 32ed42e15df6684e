// `npm start` as a newcomer runs it: the all-in-one process with embedded TimescaleDB, broker and
// simulator starts, prints its URL, serves live data, stops cleanly on Ctrl-C and keeps its data for the
// next start. Bad configuration and a taken MQTT port stop it with a message that says what to do.
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kioskFetch, wallLinkOf } from '../helpers/auth.ts'
import { spawnEntry } from '../helpers/processes.ts'
import { waitFor } from '../helpers/wait.ts'

describe('npm start (all-in-one, embedded services)', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioc-start-'))
  })
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  // two hours of history always span the two clock hours NowCast needs, whatever the minute of the run
  const env = () => ({ DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0', SIM_RATE: '100', SIM_BACKFILL_HOURS: '2' })

  it('starts everything, prints its URL, serves live simulated data and stops cleanly on SIGINT', async () => {
    const ioc = spawnEntry('bin/ioc.ts', env())
    try {
      const url = (await ioc.waitForOutput(/IOC running at (http:\/\/\S+)/, 120_000))[1]!
      // a fresh database: the first admin's password is printed once, with the wall's kiosk link
      expect(ioc.output()).toMatch(/First admin created — username: admin {2}password: \S{20}/)
      const get = await kioskFetch(await wallLinkOf(ioc))
      // without the link or a session, the wall's data and the wall itself stay closed
      expect((await fetch(`${url}/api/stations`)).status).toBe(401)
      expect((await fetch(url, { redirect: 'manual' })).headers.get('location')).toMatch(/^\/login\?next=/)
      const stations = (await (await get('/api/stations')).json()) as { id: string; lastSeen: string | null; aqi: unknown }[]
      expect(stations).toHaveLength(140)
      // the simulator's live feed and its hour of history arrive through the embedded broker
      await waitFor(async () => ((await (await get('/api/stations')).json()) as typeof stations).filter((s) => s.aqi !== null).length, (n) => n > 30, 'stations with an AQI', 60_000, 500)
      // the next test relies on the history being in: its publisher has it acknowledged only once it is stored
      await ioc.waitForOutput(/\[simulator\] history published/, 60_000)
      // healthy: at once on a quiet machine; on a busy one a commit of the backfill's last batches may still be
      // slow enough for /healthz to say so for a few seconds
      await waitFor(async () => {
        const res = await fetch(`${url}/healthz`)
        return { status: res.status, body: await res.json() }
      }, (h) => h.status === 200, '/healthz 200 once the history is in', 30_000, 500)
      const page = await get('/')
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('Trung tâm điều hành')
      ioc.kill('SIGINT')
      expect(await ioc.exited).toEqual({ code: 0, signal: null })
      expect(ioc.output()).toMatch(/\[ioc\] stopped/)
    } finally {
      ioc.kill('SIGKILL')
    }
  })

  it('keeps its data for the next start and publishes again only the hours it does not hold', async () => {
    const ioc = spawnEntry('bin/ioc.ts', env())
    try {
      await ioc.waitForOutput(/IOC running at (http:\/\/\S+)/, 120_000)
      // the same kiosk link as last time (a wall's bookmark survives restarts), and no new admin
      const get = await kioskFetch(await wallLinkOf(ioc))
      expect(ioc.output()).not.toMatch(/First admin created/)
      // the AQI needs two of the last three hours: right at start-up only the stored history can give it
      const stations = (await (await get('/api/stations')).json()) as { aqi: unknown }[]
      expect(stations.filter((s) => s.aqi !== null).length).toBeGreaterThan(30)
      const said = await ioc.waitForOutput(/\[simulator\] (history complete: all (\d+) device-hours|publishing history first: (\d+) of (\d+) device-hours)/)
      // everything is stored, or (when a clock hour turned between the two runs) only the new hour's few steps are not
      if (said[3] !== undefined) expect(Number(said[3])).toBeLessThanOrEqual(200)
      ioc.kill('SIGTERM')
      expect((await ioc.exited).code).toBe(0)
    } finally {
      ioc.kill('SIGKILL')
    }
  })

  it('refuses to start when MQTT_PORT is taken, saying how to use the running broker', async () => {
    const taken = createServer()
    await new Promise<void>((r) => taken.listen(0, '0.0.0.0', r))
    const port = (taken.address() as AddressInfo).port
    const dir = await mkdtemp(join(tmpdir(), 'ioc-start-port-'))
    try {
      const ioc = spawnEntry('bin/ioc.ts', { DATA_DIR: dir, PORT: '0', MQTT_PORT: String(port), SIMULATE: '0' })
      const exit = await ioc.exited
      expect(exit.code).not.toBe(0)
      expect(ioc.output()).toContain(`MQTT_PORT ${port} is already in use`)
      expect(ioc.output()).toContain(`MQTT_URL=mqtt://127.0.0.1:${port}`)
    } finally {
      taken.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('stops at once on a bad configuration value, naming the variable', async () => {
    const ioc = spawnEntry('bin/ioc.ts', { PORT: 'eighty', SIM_RATE: '-3' })
    expect((await ioc.exited).code).toBe(2)
    expect(ioc.output()).toContain("PORT: expected an integer 0–65535, got 'eighty'")
    expect(ioc.output()).toContain("SIM_RATE: expected a number 0.01–100000, got '-3'")
  })

  it.each(['ingest/main.ts', 'server/main.ts'])('%s alone asks for the real services it needs', async (entry) => {
    const p = spawnEntry(entry, { MQTT_URL: 'mqtt://127.0.0.1:1883' })
    expect((await p.exited).code).not.toBe(0)
    expect(p.output()).toContain('set DATABASE_URL')
  })
})
