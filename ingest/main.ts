// `npm run start:ingest`: one ingest worker against real services. Run several: on a broker with shared
// subscriptions they split the load through $share/ioc-ingest/…; give each a stable INGEST_CLIENT_ID of its
// own so a restarted worker resumes its session. /healthz and /metrics are served on INGEST_HTTP_PORT.
// `npm run start:ingest -- --retire` removes a worker for good: it takes in what its session still holds,
// commits it and ends the session, so the broker stops keeping a share of the feed for it.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadConfigOrExit } from '../core/config.ts'
import { createLifecycle } from '../core/lifecycle.ts'
import { configureLogging, createLogger } from '../core/log.ts'
import { topicMap } from '../contract/index.ts'
import { mayReadMetrics, registry } from '../core/metrics.ts'
import { healthReport } from '../db/health.ts'
import { openPostgres } from '../db/postgres.ts'
import { prepareDatabase } from '../db/setup.ts'
import { mqttSource } from './shared/mqtt-source.ts'
import { ingestOptions, startIngest } from './service.ts'

const config = loadConfigOrExit()
configureLogging(config.log)
const log = createLogger('ingest')
const life = createLifecycle('ingest')

async function main(): Promise<void> {
  if (!config.databaseUrl || !config.mqttUrl) {
    throw new Error(`start:ingest runs against real services: set ${!config.databaseUrl ? 'DATABASE_URL' : 'MQTT_URL'} (or use npm start for the all-in-one)`)
  }
  const db = openPostgres(config.databaseUrl, { max: 2, applicationName: 'ioc-ingest' })
  life.onStop('database connections', () => db.end())
  await prepareDatabase(db, config)
  const source = mqttSource({
    url: config.mqttUrl,
    version: config.mqttVersion,
    clientId: config.ingest.clientId,
    filters: topicMap(config.topicRoot).deviceFilters,
    shared: config.ingest.shared,
    receiveMaximum: config.ingest.receiveMaximum,
  })
  const ingest = await startIngest(ingestOptions(config, db, source))
  life.onStop('ingest', () => ingest.stop(), { timeoutMs: 5000 })

  const http = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      if (!mayReadMetrics(req.headers.authorization, req.socket.remoteAddress, config.auth.metricsToken)) {
        res.statusCode = config.auth.metricsToken ? 401 : 403
        res.end()
        return
      }
      res.setHeader('content-type', registry.contentType)
      res.end(await registry.metrics())
    } else if (req.url === '/healthz') {
      const body = await healthReport(db, source.connected(), ingest.health())
      res.statusCode = body.ok ? 200 : 503
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(body))
    } else {
      res.statusCode = 404
      res.end()
    }
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`INGEST_HTTP_PORT ${config.ingest.httpPort} is in use (another worker on this host?); give each worker its own port, or 0 for any`) : err),
    )
    http.listen(config.ingest.httpPort, resolve)
  })
  life.onStop('http', () => new Promise<void>((r) => http.close(() => r())))
  await ingest.ready
  const port = (http.address() as AddressInfo).port
  if (process.argv.includes('--retire')) {
    await ingest.retire()
    await life.shutdown(0, 'retired')
  }
  log.info(`ingest worker ${config.ingest.clientId} running; /healthz and /metrics on port ${port}`)
}

main().catch((err: Error) => {
  log.error(`start-up failed: ${err.message}`)
  void life.shutdown(1, 'start-up failed')
})
