// Reference data: the tree of administrative units and the devices placed in it. Units are a tree of any
// depth (province → commune/ward since the 2025 two-tier reform, or any deeper local grouping); the
// schema never assumes fixed levels.

import type { CameraKind, StationKind } from './metrics.ts'

export type Position = [lon: number, lat: number]
export type Ring = Position[]
export type UnitGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] }

export interface Unit {
  id: string
  parentId: string | null
  name: string
  /** Free-form level name shown to users: "tỉnh", "phường", "xã", "đặc khu", "khu vực"… */
  level: string
  geometry: UnitGeometry | null
  /** True when the boundary is generated or simplified and must not be used for legal purposes. */
  approximate: boolean
}

export interface Station {
  id: string
  name: string
  kind: StationKind
  unitId: string | null
  lon: number
  lat: number
  /** How often the station is expected to report; drives online / stale / offline. */
  expectedIntervalSec: number
}

export interface Camera {
  id: string
  name: string
  kind: CameraKind
  /** The service center or road the camera watches; KPIs are summed per site. */
  site: string
  unitId: string | null
  lon: number
  lat: number
  /** Crowd threshold for a service center (people inside), or null. */
  capacity: number | null
  expectedIntervalSec: number
}
