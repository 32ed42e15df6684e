// The whole path over real connections: MQTT → ingest → database → server → REST and Socket.IO, on the
// embedded broker + embedded TimescaleDB, and on Mosquitto + PostgreSQL when TEST_MQTT_URL and
// TEST_DATABASE_URL are set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { cameraPayload, envPayload, type Ack, type ClientToServerEvents, type ServerToClientEvents, type Snapshot, type StationState } from '../../contract/index.ts'
import type { TestBroker } from '../helpers/brokers.ts'
import type { TestDatabase } from '../helpers/databases.ts'
import { closeStack, openStack, STACK_TARGETS, type Stack } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'

describe.each(STACK_TARGETS)('pipeline on $db database + $broker broker', (target) => {
  let db: TestDatabase
  let broker: TestBroker
  let stack: Stack
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>

  beforeAll(async () => {
    ;({ db, broker, stack } = await openStack(target))
    socket = connectSocket(stack.server.url, { transports: ['websocket'], auth: { token: stack.apiKey } })
  })
  afterAll(async () => {
    socket?.close()
    await closeStack({ db, broker, stack })
  })

  const subscribe = (rooms: string[]) =>
    new Promise<Ack<Snapshot>>((resolve) => socket.emit('subscribe', { rooms } as never, resolve))
  const api = async (path: string) => {
    const res = await stack.api(`${path}`)
    return { status: res.status, body: (await res.json()) as any }
  }

  it('delivers a published reading to the database, the REST API and a subscribed Socket.IO client', async () => {
    const snapshot = await subscribe(['stations'])
    expect(snapshot.ok).toBe(true)
    expect(snapshot.ok && snapshot.data.stations?.length).toBeGreaterThan(100)

    const seen: StationState[] = []
    socket.on('stations:delta', (d) => seen.push(...d.stations.filter((s) => s.id === 'QN-KK-001')))
    const ts = Date.now()
    await stack.pub.publishAsync(`${stack.topicRoot}/env/QN-KK-001`, envPayload(ts, { pm25: 87.5, pm10: 120.25 }), { qos: 1 })

    const rows = await waitFor(
      () => db.db.query(`SELECT metric, value, ts FROM station_readings WHERE station_id = 'QN-KK-001' AND ts = to_timestamp($1 / 1000.0) ORDER BY metric`, [ts]),
      (r) => r.rowCount === 2,
      'the reading in station_readings',
    )
    expect(rows.rows).toEqual([
      { metric: 'pm10', value: 120.25, ts },
      { metric: 'pm25', value: 87.5, ts },
    ])
    const station = await waitFor(() => api('/api/stations/QN-KK-001'), (r) => r.body.values?.pm25 === 87.5, 'the API to show the reading')
    expect(station.body).toMatchObject({ id: 'QN-KK-001', kind: 'air', status: 'online', lastSeen: new Date(ts).toISOString(), values: { pm25: 87.5, pm10: 120.25 } })
    // one hour of PM2.5 is not enough for NowCast (it needs 2 of the last 3 hours)
    expect(station.body.aqi).toBeNull()
    await waitFor(() => seen, (s) => s.some((x) => x.values.pm25 === 87.5 && x.lastSeen === new Date(ts).toISOString()), 'a Socket.IO delta with the reading')
  })

  it('computes the hourly VN_AQI by NowCast once two of the last three hours have PM2.5', async () => {
    const now = Date.now()
    await stack.pub.publishAsync(`${stack.topicRoot}/env/QN-KK-005`, envPayload(now - 3_600_000, { pm25: 40 }), { qos: 1 })
    await stack.pub.publishAsync(`${stack.topicRoot}/env/QN-KK-005`, envPayload(now, { pm25: 87.5 }), { qos: 1 })
    // c1 = 87.5, c2 = 40: w* = 0.457 → w = 0.5; NowCast = (87.5 + 0.5·40) / 1.5 = 71.67 µg/m³
    // PM2.5 50–80 → AQI 100–150: (150 − 100) / (80 − 50) · (71.67 − 50) + 100 = 136.1 → 136, band Kém
    const got = await waitFor(() => api('/api/stations/QN-KK-005'), (r) => r.body.aqi !== null, 'an AQI')
    expect(got.body.aqi).toEqual({ value: 136, band: 'poor', dominant: 'pm25', kind: 'hourly' })
  })

  it('counts a service-center camera period into people inside and arrivals in the last hour', async () => {
    const cam = (await api('/api/cameras?kind=service_center')).body[0]
    const ts = Date.now()
    await stack.pub.publishAsync(`${stack.topicRoot}/camera/${cam.id}`, cameraPayload(ts, 60, { person: 17 }, 42), { qos: 1 })
    const got = await waitFor(() => api(`/api/cameras/${cam.id}`), (r) => r.body.inside === 42, 'the camera KPIs')
    expect(got.body).toMatchObject({ id: cam.id, inside: 42, arrivalsLastHour: 17, lastCounts: { person: 17 }, status: 'online' })
    const row = await db.db.query('SELECT person, inside, period_sec FROM camera_counts WHERE camera_id = $1', [cam.id])
    expect(row.rows).toEqual([{ person: 17, inside: 42, period_sec: 60 }])
  })

  it('stores a message delivered three times once, counting the other copies as duplicates', async () => {
    const duplicates = async () => {
      const text = await (await stack.api(`/metrics`)).text()
      return Number(/^ioc_ingest_rows_duplicate_total\{table="station_readings"\} (\d+)/m.exec(text)?.[1] ?? 0)
    }
    const before = await duplicates()
    const ts = Date.now() - 60_000
    const payload = envPayload(ts, { noise: 61.5 })
    for (let i = 0; i < 3; i++) await stack.pub.publishAsync(`${stack.topicRoot}/env/QN-TO-001`, payload, { qos: 1 })
    await waitFor(duplicates, (n) => n === before + 2, 'two duplicate rows counted')
    const n = await db.db.query(`SELECT count(*)::int AS n FROM station_readings WHERE station_id = 'QN-TO-001' AND ts = to_timestamp($1 / 1000.0)`, [ts])
    expect(n.rows[0].n).toBe(1)
  })

  it('coalesces a burst of readings for one station into a few frames carrying the latest state', async () => {
    const frames: StationState[][] = []
    socket.on('stations:delta', (d) => {
      const mine = d.stations.filter((s) => s.id === 'QN-KK-006')
      if (mine.length) frames.push(mine)
    })
    const start = Date.now()
    const burst = 200
    await Promise.all(
      Array.from({ length: burst }, (_, i) => stack.pub.publishAsync(`${stack.topicRoot}/env/QN-KK-006`, envPayload(start - (burst - i) * 10, { pm25: i }), { qos: 1 })),
    )
    await waitFor(() => frames.at(-1)?.[0]?.values.pm25, (v) => v === burst - 1, 'the last reading of the burst')
    const elapsed = Date.now() - start
    // each frame names the station once, and there is at most one frame per coalescing window
    expect(frames.every((f) => f.length === 1)).toBe(true)
    expect(frames.length).toBeLessThanOrEqual(Math.ceil(elapsed / stack.config.live.coalesceMs) + 1)
    expect(frames.length).toBeLessThan(burst / 4)
  })

  it('answers a subscribe to an unknown station with an error naming the room', async () => {
    const res = await subscribe(['station:NO-SUCH'])
    expect(res).toEqual({ ok: false, error: { code: 'not_found', field: 'station:NO-SUCH', message: "station 'NO-SUCH' does not exist" } })
    const bad = await subscribe(['everything'])
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request', field: 'rooms[0]' } })
  })

  it('refuses forged live frames, retained ones too, and shows none of what they carry', async () => {
    const refused = async () => {
      const text = await (await stack.api(`/metrics`)).text()
      return [...text.matchAll(/^ioc_live_frames_refused_total\{kind="[a-z]+"\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0)
    }
    const before = await refused()
    const live = `${stack.topicRoot}/live/env`
    const station = (await api('/api/stations/QN-KK-011')).body
    const forged = [
      JSON.stringify({ committedAt: Date.now(), readings: [{ stationId: 'QN-KK-011', ts: 1e308, values: { pm25: 5 } }] }),
      JSON.stringify({ committedAt: Date.now(), readings: [{ stationId: 'QN-KK-011', ts: Date.now(), values: { pm25: 999_999 } }] }),
      JSON.stringify({ committedAt: Date.now(), readings: [{ stationId: 'QN-KK-011', ts: Date.now(), values: { temp: 'NaN' } }] }),
      'not even json',
    ]
    for (const f of forged) await stack.pub.publishAsync(live, f, { qos: 1 })
    await stack.pub.publishAsync(live, forged[0]!, { qos: 1, retain: true })
    await waitFor(refused, (n) => n >= before + forged.length + 1, 'the forged frames refused')
    expect((await api('/api/stations/QN-KK-011')).body).toMatchObject({ values: station.values, lastSeen: station.lastSeen })
    expect((await api('/healthz')).status).toBe(200)
    // leave no retained frame behind on a shared broker
    await stack.pub.publishAsync(live, '', { qos: 1, retain: true })
  })

  it('reports healthy database and broker', async () => {
    const h = await api('/healthz')
    expect(h).toEqual({ status: 200, body: { ok: true, database: 'up', broker: 'up', problems: [] } })
  })
})
