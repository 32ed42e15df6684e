// Prometheus metrics for every IOC process: one registry, every metric defined here once. Each process
// serves it at /metrics (the server on PORT, a standalone ingest on INGEST_HTTP_PORT).
import { timingSafeEqual } from 'node:crypto'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export const registry = new Registry()
collectDefaultMetrics({ register: registry, prefix: 'ioc_' })
// the exact Node version tells an attacker which published vulnerabilities apply; operators have it elsewhere
registry.removeSingleMetric('ioc_nodejs_version_info')

export const metrics = {
  messagesIn: new Counter({ name: 'ioc_ingest_messages_total', help: 'MQTT messages received by ingest, by kind and outcome (stored, partial, dead)', labelNames: ['kind', 'outcome'], registers: [registry] }),
  rowsWritten: new Counter({ name: 'ioc_ingest_rows_written_total', help: 'Rows committed, by table', labelNames: ['table'], registers: [registry] }),
  rowsDuplicate: new Counter({ name: 'ioc_ingest_rows_duplicate_total', help: 'Rows already stored (redelivered messages), by table', labelNames: ['table'], registers: [registry] }),
  deadLetters: new Counter({ name: 'ioc_dead_letters_total', help: 'Dead letters written, by reason code', labelNames: ['code'], registers: [registry] }),
  batchSeconds: new Histogram({ name: 'ioc_ingest_batch_seconds', help: 'Time to commit one batch', buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
  batchRows: new Histogram({ name: 'ioc_ingest_batch_rows', help: 'Rows per committed batch', buckets: [1, 10, 50, 100, 500, 1000, 2500, 5000, 10000], registers: [registry] }),
  batchFailures: new Counter({ name: 'ioc_ingest_batch_failures_total', help: 'Batch commits that failed and were retried', registers: [registry] }),
  dropped: new Counter({ name: 'ioc_ingest_dropped_total', help: 'Messages dropped because the database refused even their dead letter (see the error log)', registers: [registry] }),
  pendingRows: new Gauge({ name: 'ioc_ingest_pending_rows', help: 'Rows accepted and not yet committed', registers: [registry] }),
  heldAcks: new Gauge({ name: 'ioc_ingest_held_acks', help: 'MQTT acknowledgements held until their batch commits', registers: [registry] }),
  brokerUp: new Gauge({ name: 'ioc_broker_up', help: '1 when this process is connected to the MQTT broker', labelNames: ['client'], registers: [registry] }),
  databaseUp: new Gauge({ name: 'ioc_database_up', help: '1 when the last database call of this process succeeded', registers: [registry] }),
  socketClients: new Gauge({ name: 'ioc_socket_clients', help: 'Connected Socket.IO clients', registers: [registry] }),
  liveFrames: new Counter({ name: 'ioc_live_frames_total', help: 'Coalesced Socket.IO frames emitted, by room kind', labelNames: ['room'], registers: [registry] }),
  liveFramesRefused: new Counter({ name: 'ioc_live_frames_refused_total', help: 'Frames on live topics the server refused (malformed, or outside the accepted window), by kind', labelNames: ['kind'], registers: [registry] }),
  liveBatchesIn: new Counter({ name: 'ioc_live_batches_total', help: 'Committed live batches received by the server from ingest', labelNames: ['kind'], registers: [registry] }),
  signIns: new Counter({ name: 'ioc_sign_ins_total', help: 'Sign-in attempts, by outcome (ok, wrong, locked, rate_limited)', labelNames: ['outcome'], registers: [registry] }),
  httpRequests: new Counter({ name: 'ioc_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry] }),
  brokerRefused: new Counter({ name: 'ioc_broker_refused_total', help: 'Connections, publishes and subscriptions the embedded broker refused, by reason (anonymous, bad_credentials, client_id_in_use, publish_denied, subscribe_denied)', labelNames: ['reason'], registers: [registry] }),
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/

/**
 * Who may read /metrics (every process serves it): with METRICS_TOKEN, whoever sends it as a bearer token;
 * without, only clients on this machine (the socket's own address: X-Forwarded-For could claim anything).
 */
export function mayReadMetrics(authorization: string | undefined, remoteAddress: string | undefined, token: string | null): boolean {
  if (token) {
    const sent = Buffer.from(authorization?.replace(/^Bearer\s+/i, '') ?? '')
    const want = Buffer.from(token)
    return sent.length === want.length && timingSafeEqual(sent, want)
  }
  return LOOPBACK.test(remoteAddress ?? '')
}
