// The counter cameras' part of a wall dashboard: sparklines per service center or road, and the crowd alert
// (people inside a service center reaching a share of its capacity), with their limits and defaults.
// dashboards/README.md documents the same table.

import { intIn, oneOf, z } from '../shared/schema.ts'
import { widget, type WidgetContext } from '../shared/wall.ts'
import { CAMERA_KINDS, type CameraKind } from './classes.ts'

export const CAMERA_WIDGET_LIMITS = {
  sparklineHours: { min: 1, max: 48, default: 3 },
  sparklineLimit: { min: 1, max: 40, default: 12 },
  crowdRatio: { min: 0.1, max: 5, default: 0.9 },
} as const

const { sparklineHours: hours, sparklineLimit: limit, crowdRatio: ratio } = CAMERA_WIDGET_LIMITS

export const CAMERA_WIDGETS = {
  /** service_center: people inside per center; road: vehicles per minute per road. */
  'site-sparklines': (ctx: WidgetContext) =>
    widget(
      'site-sparklines',
      {
        kind: oneOf(CAMERA_KINDS as [CameraKind, ...CameraKind[]]),
        hours: intIn(hours.min, hours.max).default(hours.default),
        limit: intIn(limit.min, limit.max).default(limit.default),
      },
      ctx,
    ),
}

export type SiteSparklinesWidget = z.output<ReturnType<(typeof CAMERA_WIDGETS)['site-sparklines']>>

const RATIO = `a number ${ratio.min}–${ratio.max} (share of capacity), or null for no crowd alerts`

/** Alert when the people inside a service center reach this share of its capacity (null: no crowd alerts). */
export const CAMERA_ALERT_RULES = {
  crowdRatio: z
    .number({ error: RATIO })
    .min(ratio.min, { error: RATIO })
    .max(ratio.max, { error: RATIO })
    .nullable()
    .default(ratio.default),
}
