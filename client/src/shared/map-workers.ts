// MapLibre's web workers, loaded from this origin (the CSP allows no blob: workers) once and kept for the page's
// life. By default MapLibre ends them when its last map goes and fetches them again for the next one. A wall
// rotating to a map screen while its server was away (a restart) then got no workers ("Worker failed to load")
// and a map without data until reloaded. prewarm() keeps them.
import { prewarm, setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'

let started = false

/** Call before creating a map: the first call loads the workers, later ones reuse them. */
export function useMapWorkers(): void {
  if (started) return
  started = true
  setWorkerUrl(workerUrl)
  prewarm()
}
