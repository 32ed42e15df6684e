// The registry of the IOC's domains in the contract: what each contributes to the shared vocabularies
// (input topics, dead-letter codes, live channels, KPIs, dashboard widgets and alert rules). Adding a domain
// adds its entry to each list below; everything else it declares lives in its own folder.

import { CAMERA_KPIS, cameraKpis, type CameraKpis } from './cameras/kpis.ts'
import { CAMERAS_CHANNEL, type CameraSummary } from './cameras/live.ts'
import { CAMERA_DEAD_LETTER_CODES, CAMERA_INPUT } from './cameras/payload.ts'
import { CAMERA_ALERT_RULES, CAMERA_WIDGETS } from './cameras/widgets.ts'
import { ENVIRONMENT_KPIS, environmentKpis, type EnvironmentKpis } from './environment/kpis.ts'
import { STATIONS_CHANNEL, type StationSummary } from './environment/live.ts'
import { ENVIRONMENT_DEAD_LETTER_CODES, ENVIRONMENT_INPUT } from './environment/payload.ts'
import { ENVIRONMENT_ALERT_RULES, ENVIRONMENT_WIDGETS } from './environment/widgets.ts'
import { DOSSIER_DEAD_LETTER_CODES, DOSSIER_INPUT } from './dossiers/feed.ts'
import { DOSSIERS_CHANNEL } from './dossiers/live.ts'
import { DOSSIER_WIDGETS } from './dossiers/widgets.ts'
import { REPORT_DEAD_LETTER_CODES, REPORT_INPUT } from './reports/feed.ts'
import { REPORTS_CHANNEL } from './reports/live.ts'
import { REPORT_WIDGETS } from './reports/widgets.ts'
import { SHARED_DEAD_LETTER_CODES } from './shared/ingest.ts'
import type { LiveChannel } from './shared/live.ts'
import { buildTopicMap, DEFAULT_TOPIC_ROOT, type TopicMap } from './shared/topics.ts'

// --- MQTT input -------------------------------------------------------------------------------------------
export const INPUT_SEGMENTS = [ENVIRONMENT_INPUT, CAMERA_INPUT, DOSSIER_INPUT, REPORT_INPUT] as const
export type InputSegment = (typeof INPUT_SEGMENTS)[number]

/** The topic layout of every registered input under `root`. */
export function topicMap(root: string = DEFAULT_TOPIC_ROOT): TopicMap<InputSegment> {
  return buildTopicMap(root, INPUT_SEGMENTS)
}

export const DEAD_LETTER_CODES = [...SHARED_DEAD_LETTER_CODES, ...ENVIRONMENT_DEAD_LETTER_CODES, ...CAMERA_DEAD_LETTER_CODES, ...DOSSIER_DEAD_LETTER_CODES, ...REPORT_DEAD_LETTER_CODES] as const
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[number]

// --- live channels (contract/events.ts composes them into the Socket.IO event maps) ------------------------
export const LIVE_CHANNELS = [STATIONS_CHANNEL, CAMERAS_CHANNEL, DOSSIERS_CHANNEL, REPORTS_CHANNEL] as const satisfies readonly LiveChannel[]
export type LiveChannels = (typeof LIVE_CHANNELS)[number]
/** The map draws one layer per channel of placed devices, named after its list room. */
export const MAP_LAYERS = [STATIONS_CHANNEL.list, CAMERAS_CHANNEL.list] as const
export type MapLayer = (typeof MAP_LAYERS)[number]

// --- dashboard widgets and alert rules (contract/dashboard.ts composes them) ---------------------------------
export const DOMAIN_WIDGETS = { ...ENVIRONMENT_WIDGETS, ...CAMERA_WIDGETS, ...DOSSIER_WIDGETS, ...REPORT_WIDGETS }
export const DOMAIN_ALERT_RULES = { ...ENVIRONMENT_ALERT_RULES, ...CAMERA_ALERT_RULES }

// --- KPI tiles ----------------------------------------------------------------------------------------------
export const KPI_SPECS = { ...ENVIRONMENT_KPIS, ...CAMERA_KPIS }
export type KpiKey = keyof typeof KPI_SPECS
export const KPI_KEYS = Object.keys(KPI_SPECS) as KpiKey[]
export type WallKpis = EnvironmentKpis & CameraKpis

/** Every KPI of the wall from live state, per list; the server turns yesterday's aggregates into the same shape. */
export function computeKpis(lists: {
  stations?: Iterable<Pick<StationSummary, 'id' | 'name' | 'unitName' | 'status' | 'aqi'>>
  cameras?: Iterable<Pick<CameraSummary, 'kind' | 'inside' | 'vehiclesPerMinute'>>
}): WallKpis {
  return { ...environmentKpis(lists.stations ?? []), ...cameraKpis(lists.cameras ?? []) }
}

/** The number a KPI tile shows (stations_reporting as a 0–1 share, for thresholds). */
export function kpiValue(k: WallKpis, key: KpiKey): number | null {
  return (KPI_SPECS[key].value as (k: WallKpis) => number | null)(k)
}

/** GET /api/kpis/baseline?at=: the KPIs of the same clock hour one day before `at`, from the hourly aggregates. */
export interface KpiBaselineResponse {
  /** Start of the hour the baseline describes (yesterday). */
  hour: string
  kpis: WallKpis
}
