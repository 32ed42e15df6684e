// MQTT topic layout. Devices publish under `{root}/env/{stationId}` and `{root}/camera/{cameraId}`;
// ingest publishes committed, normalized batches under `{root}/live/...` for every server instance.
// The root defaults to `ioc/v1` and is configurable so one broker can carry several tenants or test runs.

export const DEFAULT_TOPIC_ROOT = 'ioc/v1'

/** Ids are single topic levels: no wildcards, no separators, nothing a shell or URL needs to escape. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/

/** The shared-subscription group ingest workers join on brokers that support it (Mosquitto, EMQX, HiveMQ). */
export const INGEST_SHARE_GROUP = 'ioc-ingest'

export type DeviceTopic =
  | { kind: 'env'; id: string }
  | { kind: 'camera'; id: string }
  | { kind: 'unknown'; reason: string }

export interface TopicMap {
  root: string
  env(stationId: string): string
  camera(cameraId: string): string
  /**
   * Subscriptions that cover every device topic, odd ones included (`{root}/env/`, `{root}/env/a/b`): ingest
   * takes them all, so a device publishing to a wrong topic gets a dead letter saying so, not silence.
   */
  deviceFilters: readonly string[]
  /** True for a topic the device filters match. */
  isDeviceTopic(topic: string): boolean
  liveEnv: string
  liveCamera: string
  /** Each ingest worker's heartbeat (contract/health.ts). */
  liveIngest: string
  liveFilter: string
  parse(topic: string): DeviceTopic
}

export function topicMap(root: string = DEFAULT_TOPIC_ROOT): TopicMap {
  const clean = root.replace(/\/+$/, '')
  const envPrefix = `${clean}/env/`
  const cameraPrefix = `${clean}/camera/`
  return {
    root: clean,
    env: (id) => envPrefix + id,
    camera: (id) => cameraPrefix + id,
    deviceFilters: [`${clean}/env/#`, `${clean}/camera/#`],
    isDeviceTopic: (t) => t.startsWith(envPrefix) || t.startsWith(cameraPrefix) || t === `${clean}/env` || t === `${clean}/camera`,
    liveEnv: `${clean}/live/env`,
    liveCamera: `${clean}/live/camera`,
    liveIngest: `${clean}/live/ingest`,
    liveFilter: `${clean}/live/+`,
    parse(topic) {
      const kind = topic.startsWith(envPrefix) ? 'env' : topic.startsWith(cameraPrefix) ? 'camera' : null
      if (!kind) return { kind: 'unknown', reason: `topic is not under ${envPrefix} or ${cameraPrefix}` }
      const id = topic.slice(kind === 'env' ? envPrefix.length : cameraPrefix.length)
      if (!DEVICE_ID_PATTERN.test(id)) {
        return { kind: 'unknown', reason: `device id '${id}' is not a valid id (letters, digits, . _ : -)` }
      }
      return { kind, id }
    },
  }
}

/** A subscription filter wrapped for a shared subscription group (`$share/group/filter`). */
export function sharedFilter(group: string, filter: string): string {
  return `$share/${group}/${filter}`
}
