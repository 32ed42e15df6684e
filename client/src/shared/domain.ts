// What a domain gives the wall (client/src/domains.ts lists them): the live list it shows, its map layer
// (paint, feature state, legend, card), its widget types, how its KPI tiles read, and the alerts it raises.
// The wall's frame (status bar, screen grid, map, KPI tiles, ticker) iterates over the registered domains
// and knows none of them by name.
import { createContext, type Component } from 'svelte'
import type { ExpressionSpecification } from 'maplibre-gl'
import { MAP_LAYERS, type KpiKey, type LiveList, type MapLayer, type WallKpis, type WallLanguage } from '../../../contract/index.ts'
import type { AlertDetector } from './alerts.ts'
import type { WallKpiState } from './kpis.svelte.ts'
import type { LiveData } from './live.svelte.ts'
import type { WallView } from './wall.svelte.ts'

/** What every item on the map has: an id, a kind the paint may match on, and a position. */
export interface MapItem {
  id: string
  kind: string
  lon: number
  lat: number
}

export type FeatureState = Record<string, string | number | boolean | null>
export type CirclePaint = Record<string, ExpressionSpecification | number | string>

// `any` in the registry's types: a list of domains holds each with its own item and widget types
/* eslint-disable @typescript-eslint/no-explicit-any */

/** A domain's layer of points on the province map. */
export interface MapLayerView<Item extends MapItem = any> {
  /** Drawing order: a layer with a higher z is drawn over one with a lower z. */
  z: number
  /** Circle paint for the current rem in pixels (sizes follow the screen, as the layout does). */
  paint(rem: number): CirclePaint
  /** What a live update writes per item (MapLibre feature-state), read by the paint's expressions. */
  featureState(item: Item): FeatureState
  /** Its rows in the map's legend. */
  Legend: Component<{ lang: WallLanguage }>
  /** What the card under the pointer shows of an item, between its name and its last-seen line. */
  Card: Component<{ item: Item; lang: WallLanguage }>
}

export interface WidgetProps<W = any> {
  widget: W
  live: LiveData
  view: WallView
  kpis: WallKpiState
  lang: WallLanguage
}

/** A widget type a domain draws: its component and its title when the dashboard gives none. */
export interface WidgetView<W = any> {
  component: Component<WidgetProps<W>>
  title(widget: W, lang: WallLanguage): string
}

/** How a KPI tile reads: its label, the big number, a line under it, and what the change against yesterday compares. */
export interface KpiView {
  label: Record<WallLanguage, string>
  /** The big number (default: the value, whole). */
  text?(k: WallKpis, value: number, lang: WallLanguage): string
  /** Colour of the big number (default: the tile's threshold colours). */
  color?(k: WallKpis): string | null
  /** The line under the number: text, its full version as a tooltip, and a muted tail. */
  detail?(k: WallKpis, value: number, lang: WallLanguage): { text: string; title?: string; muted?: string; testId?: string } | null
  /** What the change against yesterday compares (default: the value). */
  comparable?(k: WallKpis): number | null
  /** Decimals of the change against yesterday. */
  digits?: number
}

export interface WallDomain {
  name: string
  /** The live list it follows (also its map layer's name in a dashboard's `layers`, when it has one). */
  list: LiveList
  /** Its points on the map; absent for a domain that places nothing (dossiers: figures of units, not devices). */
  map?: MapLayerView
  widgets: Record<string, WidgetView>
  kpis: Partial<Record<KpiKey, KpiView>>
  /** Alerts raised from its items' changes (offline alerts are the frame's, for every list). */
  alerts?: AlertDetector
}

/** A domain of placed devices: a layer on the map, items with a name, a status and a last-seen time. */
export type MappedDomain = WallDomain & { list: MapLayer; map: MapLayerView }

export function isMapped(d: WallDomain): d is MappedDomain {
  return d.map !== undefined && (MAP_LAYERS as readonly string[]).includes(d.list)
}

/** The registered domains, for components deep in the frame (map, legend, card, tiles). */
export const [wallDomains, setWallDomains] = createContext<readonly WallDomain[]>()
