// MQTT topic layout. Each domain that takes input over MQTT has a segment: devices publish under
// `{root}/{segment}/{id}` (`{root}/env/{stationId}`, `{root}/camera/{cameraId}`); ingest publishes the
// committed data under `{root}/live/{segment}` for every server instance, and its heartbeat under
// `{root}/live/ingest`. The root defaults to `ioc/v1` and is configurable so one broker can carry several
// tenants or test runs.

export const DEFAULT_TOPIC_ROOT = 'ioc/v1'

/** Ids are single topic levels: no wildcards, no separators, nothing a shell or URL needs to escape. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/

/** The shared-subscription group ingest workers join on brokers that support it (Mosquitto, EMQX, HiveMQ). */
export const INGEST_SHARE_GROUP = 'ioc-ingest'

/** A topic ingest takes, as read: the input segment it is under and the id after it, or why it is no such topic. */
export type InputTopic<S extends string = string> = { kind: S; id: string } | { kind: 'unknown'; reason: string }

export interface TopicMap<S extends string = string> {
  root: string
  /** Where an item of input segment `segment` publishes: `{root}/{segment}/{id}`. */
  input(segment: S, id: string): string
  /**
   * Subscriptions that cover every input topic, odd ones included (`{root}/env/`, `{root}/env/a/b`): ingest
   * takes them all, so a device publishing to a wrong topic gets a dead letter saying so, not silence.
   */
  deviceFilters: readonly string[]
  /** True for a topic the input filters match. */
  isDeviceTopic(topic: string): boolean
  /** Where ingest publishes the committed data of an input segment for the servers: `{root}/live/{segment}`. */
  live(segment: S): string
  /** Each ingest worker's heartbeat (contract/shared/health.ts). */
  liveIngest: string
  liveFilter: string
  parse(topic: string): InputTopic<S>
}

/** The topic layout of a set of input segments (contract/domains.ts builds it for the registered ones). */
export function buildTopicMap<S extends string>(root: string, segments: readonly S[]): TopicMap<S> {
  const clean = root.replace(/\/+$/, '')
  const prefixes = segments.map((s) => [s, `${clean}/${s}/`] as const)
  return {
    root: clean,
    input: (segment, id) => `${clean}/${segment}/${id}`,
    deviceFilters: segments.map((s) => `${clean}/${s}/#`),
    isDeviceTopic: (t) => prefixes.some(([s, p]) => t.startsWith(p) || t === `${clean}/${s}`),
    live: (segment) => `${clean}/live/${segment}`,
    liveIngest: `${clean}/live/ingest`,
    liveFilter: `${clean}/live/+`,
    parse(topic) {
      const hit = prefixes.find(([, p]) => topic.startsWith(p))
      if (!hit) return { kind: 'unknown', reason: `topic is not under ${prefixes.map(([, p]) => p).join(' or ')}` }
      const id = topic.slice(hit[1].length)
      if (!DEVICE_ID_PATTERN.test(id)) return { kind: 'unknown', reason: `device id '${id}' is not a valid id (letters, digits, . _ : -)` }
      return { kind: hit[0], id }
    },
  }
}

/** A subscription filter wrapped for a shared subscription group (`$share/group/filter`). */
export function sharedFilter(group: string, filter: string): string {
  return `$share/${group}/${filter}`
}
