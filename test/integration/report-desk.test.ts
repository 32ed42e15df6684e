// The demo's report desk against a running stack: the call centre's reports arrive over MQTT and the citizen
// app's through Open311, and the simulated dispatcher and agencies move them along through the REST API, so
// after enough (simulated) time reports are forwarded, accepted, resolved, published and rated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_REPORT_CATEGORIES } from '../../contract/index.ts'
import { loadReference } from '../../db/reference.ts'
import { simulatorDeskKeys } from '../../bin/sim-desk.ts'
import { createReportDesk } from '../../simulator/report-desk.ts'
import { createReportModel } from '../../simulator/reports.ts'
import { closeStack, openStack, STACK_TARGETS, type StackTarget } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'

describe('the demo report desk', () => {
  let t0: StackTarget
  beforeAll(async () => {
    t0 = await openStack(STACK_TARGETS.at(-1)!)
  })
  afterAll(() => closeStack(t0 ?? {}))

  it('takes reports from intake to a published, rated answer through the API alone', async () => {
    const { stack } = t0
    const ref = await loadReference(t0.db.db)
    const keys = await simulatorDeskKeys(stack.server.accounts, 'QN')
    // a second start revokes the first start's keys
    const again = await simulatorDeskKeys(stack.server.accounts, 'QN')
    expect((await fetch(`${stack.server.url}/api/reports`, { headers: { authorization: `Bearer ${keys.dispatcherKey}` } })).status).toBe(401)
    let now = Date.now()
    const desk = createReportDesk({
      model: createReportModel({ seed: 7, units: ref.units, categories: DEMO_REPORT_CATEGORIES, perDay: 40 }),
      seed: 7,
      baseUrl: stack.server.url,
      ...again,
      topicRoot: stack.topicRoot,
      publish: (topic, payload) => stack.pub.publishAsync(topic, payload, { qos: 1 }).then(() => undefined),
      now: () => now,
      historyHours: 24,
    })
    await desk.tick()
    const count = async () => (await t0.db.db.query(`SELECT count(*)::int AS n FROM reports`)).rows[0].n as number
    await waitFor(count, (n) => n >= 10, 'the last 24 hours of reports stored', 20_000)
    const states = async () => Object.fromEntries((await t0.db.db.query(`SELECT state, count(*)::int AS n FROM reports GROUP BY 1`)).rows.map((r) => [r.state, r.n]))
    // an hour later the dispatcher has forwarded them; weeks later the agencies are done
    for (const hours of [1, 2, 24 * 40, 24 * 41, 24 * 42, 24 * 43, 24 * 44, 24 * 45]) {
      now = Date.now() + hours * 3_600_000
      await desk.tick()
    }
    const after = await states()
    expect(after.new ?? 0).toBe(0)
    expect((after.published ?? 0) + (after.rated ?? 0)).toBeGreaterThan(0)
    expect(desk.stats().actions).toBeGreaterThan(20)
    const actors = await t0.db.db.query(`SELECT DISTINCT action, actor_name FROM report_events WHERE action IN ('forward', 'accept', 'resolve', 'publish') ORDER BY 1`)
    expect(actors.rows).toEqual([
      { action: 'accept', actor_name: 'mo-phong-co-quan/mo-phong-ban-tiep-nhan' },
      { action: 'forward', actor_name: 'mo-phong-dieu-phoi/mo-phong-ban-tiep-nhan' },
      { action: 'publish', actor_name: 'mo-phong-dieu-phoi/mo-phong-ban-tiep-nhan' },
      { action: 'resolve', actor_name: 'mo-phong-co-quan/mo-phong-ban-tiep-nhan' },
    ])
  })
})
