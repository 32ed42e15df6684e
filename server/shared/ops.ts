// The two routes operators and orchestrators poll: /healthz (200 when data flows, 503 with the reasons when it
// does not) and /metrics (Prometheus).
import type { Express, RequestHandler } from 'express'
import { declared } from './http.ts'
import { metrics, registry } from '../../core/metrics.ts'
import type { HealthMonitor } from './health.ts'

export function opsRoutes(app: Express, health: HealthMonitor, metricsAccess: RequestHandler): void {
  app.get('/healthz', ...declared('public'), async (_req, res) => {
    const { http: body } = await health.check()
    metrics.databaseUp.set(body.database === 'up' ? 1 : 0)
    res.status(body.ok ? 200 : 503).json(body)
  })
  app.get('/metrics', ...declared('public', metricsAccess), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics())
  })
}
