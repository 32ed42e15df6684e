// The feed model: what every station and camera of the demo province reports at a given time. Deterministic
// given the injected RNG and the times asked about; no clock, no I/O. The world (episodes, dropouts, crowd
// days, station baselines) is derived from one seed drawn at creation and is the same for every fork;
// per-device state (smooth noise, service-center queues) belongs to one timeline, so a backfill runs on a
// fork and never disturbs the live feed.

import { cameraPayload, envPayload, type Camera, type Station } from '../contract/index.ts'
import { createCameraModel, type CameraReading } from './cameras.ts'
import { createDropouts } from './dropouts.ts'
import { createEnvironmentModel, type EnvValues } from './environment.ts'
import { createEpisodeField, type Episode } from './episodes.ts'
import { createNoiseBank } from './noise.ts'
import { hash32, hashString, mulberry32, type Rng } from './random.ts'

export interface FeedModelOptions {
  rng: Rng
  /** The province's stations; air stations anchor where pollution episodes happen. */
  stations?: readonly Station[]
  /** Long-run share of devices silent at any moment. Default 0.03; 0 disables dropouts. */
  dropoutShare?: number
  /** Average pollution episodes per day across the province. Default 5. */
  episodesPerDay?: number
  /** Local dates (YYYY-MM-DD) service centers are closed besides Sundays. */
  holidays?: ReadonlySet<string>
}

export interface FeedModel {
  /** The world's seed; equal seeds give equal episodes, dropouts and baselines. */
  readonly seed: number
  /** False while the device is in a dropout (it sends nothing). */
  isReporting(deviceId: string, t: number): boolean
  envValues(station: Station, t: number): EnvValues
  /** Counts for the period of `periodSec` ending at t (and people inside, for service centers). */
  cameraReading(camera: Camera, t: number, periodSec: number): CameraReading
  /** The station's payload at t, as the contract's `envPayload` builds it. */
  envMessage(station: Station, t: number): string
  cameraMessage(camera: Camera, t: number, periodSec: number): string
  /** Pollution episodes under way at t (for a demo overlay, or to explain a red patch on the map). */
  episodesAt(t: number): readonly Episode[]
  /** A new timeline over the same world: its own noise and queues, its own RNG stream. */
  fork(): FeedModel
}

export function createFeedModel(options: FeedModelOptions): FeedModel {
  const seed = Math.floor(options.rng() * 4_294_967_296) >>> 0
  const near = (options.stations ?? []).filter((s) => s.kind === 'air')
  const episodes = createEpisodeField({ seed, near, perDay: options.episodesPerDay })
  const reporting = createDropouts({ seed, silentShare: options.dropoutShare })
  const keys = new Map<string, number>()
  let forks = 0

  function timeline(rng: Rng): FeedModel {
    const noise = createNoiseBank(rng)
    const environment = createEnvironmentModel({ seed, noise, episodes })
    const cameras = createCameraModel({ seed, rng, noise, holidays: options.holidays })
    return {
      seed,
      isReporting(deviceId, t) {
        let key = keys.get(deviceId)
        if (key === undefined) keys.set(deviceId, (key = hashString(deviceId)))
        return reporting(key, t)
      },
      envValues: (station, t) => environment.values(station, t),
      cameraReading: (camera, t, periodSec) => cameras.reading(camera, t, periodSec),
      envMessage: (station, t) => envPayload(t, environment.values(station, t)),
      cameraMessage(camera, t, periodSec) {
        const r = cameras.reading(camera, t, periodSec)
        return cameraPayload(t, periodSec, r.counts, r.inside)
      },
      episodesAt: (t) => episodes.activeAt(t),
      fork: () => timeline(mulberry32(hash32(seed, ++forks))),
    }
  }

  return timeline(options.rng)
}
