// The environment's part of a wall dashboard: its widget types (the VN_AQI trend of a station, the ranking
// of the worst stations) and its alert rule (a station moving into a bad enough band), with their limits
// and defaults. dashboards/README.md documents the same table.

import { DEVICE_ID_PATTERN } from '../shared/topics.ts'
import { intIn, oneOf, z } from '../shared/schema.ts'
import { widget, type WidgetContext } from '../shared/wall.ts'
import { AQI_BANDS, type AqiBandKey } from './aqi.ts'

export const ENVIRONMENT_WIDGET_LIMITS = {
  aqiTrendHours: { min: 1, max: 168, default: 24 },
  aqiRankingLimit: { min: 1, max: 50, default: 10 },
} as const

const STATION = "'worst' or a station id"
const { aqiTrendHours: trendHours, aqiRankingLimit: rankingLimit } = ENVIRONMENT_WIDGET_LIMITS

export const ENVIRONMENT_WIDGETS = {
  /** 24-hour VN_AQI of the worst station now ('worst') or of a chosen one. */
  'aqi-trend': (ctx: WidgetContext) =>
    widget(
      'aqi-trend',
      {
        station: z
          .string({ error: STATION })
          .refine((s) => s === 'worst' || DEVICE_ID_PATTERN.test(s), { error: STATION })
          .default('worst'),
        hours: intIn(trendHours.min, trendHours.max).default(trendHours.default),
      },
      ctx,
    ),
  /** The stations with the highest VN_AQI now. */
  'aqi-ranking': (ctx: WidgetContext) => widget('aqi-ranking', { limit: intIn(rankingLimit.min, rankingLimit.max).default(rankingLimit.default) }, ctx),
}

export type AqiTrendWidget = z.output<ReturnType<(typeof ENVIRONMENT_WIDGETS)['aqi-trend']>>
export type AqiRankingWidget = z.output<ReturnType<(typeof ENVIRONMENT_WIDGETS)['aqi-ranking']>>

const BAND_KEYS = AQI_BANDS.map((b) => b.key) as [AqiBandKey, ...AqiBandKey[]]

/** Alert when a station's AQI moves into a worse band that is this band or worse. */
export const ENVIRONMENT_ALERT_RULES = {
  aqiBand: oneOf(BAND_KEYS).default('poor'),
}
