// One Open311 client cannot crowd out the others: past OPEN311_RATE_LIMIT requests a minute its key (or, with no
// key, its address) gets 429 in the spec's error shape, while another key still gets through.
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { open311Routes } from '../../server/reports/open311.ts'
import type { ReportService } from '../../server/reports/service.ts'

describe('Open311 rate limit', () => {
  let url: string
  let close: () => void
  beforeAll(async () => {
    const app = express()
    // the limiter answers before any report is read or written: a service that must never be reached
    const reports = new Proxy({}, { get: (_t, name) => () => Promise.reject(new Error(`reports.${String(name)} reached`)) }) as ReportService
    const auth = { fromSession: async () => null, fromApiKey: async () => null }
    open311Routes(app, reports, { auth, keys: [{ name: 'app-a', key: 'key-of-app-a-0123456789' }], perMinute: 3, now: Date.now })
    const server = app.listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/open311/v2`
    close = () => server.close()
  })
  afterAll(() => close?.())

  // a POST the route refuses with 400 before touching the store: enough to count as a request
  const post = (key: string) =>
    fetch(`${url}/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ api_key: key, service_code: '' }) })

  it('answers 429 in the spec’s error shape once a key has made its requests for the minute, and counts each key apart', async () => {
    const a = 'key-of-app-a-0123456789'
    for (let i = 0; i < 3; i++) expect((await post(a)).status).toBe(400)
    const refused = await post(a)
    expect(refused.status).toBe(429)
    expect(await refused.json()).toEqual([{ code: 429, description: expect.stringMatching(/^too many requests: at most 3 a minute per API key/) }])
    expect(refused.headers.get('ratelimit-policy')).toMatch(/q=3/)
    // another client's key is counted apart
    expect((await post('key-of-app-b-0123456789')).status).toBe(400)
  })

  it('counts requests without a key by address', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/services/power.xml`)).status).toBe(400)
    const refused = await fetch(`${url}/services/power.xml`)
    expect(refused.status).toBe(429)
    expect((await refused.json())[0].code).toBe(429)
  })
})
