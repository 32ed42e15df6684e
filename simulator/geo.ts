// Places the demo province's pollution depends on: the coal-mining and coal-power areas of Quảng Ninh,
// where dust and SO2 run higher than in the rest of the province, and a distance good enough at 21°N.

export interface Place {
  name: string
  lon: number
  lat: number
}

/** Coal mines, screening plants and coal-fired power plants (Cẩm Phả, Mông Dương, Uông Bí, Mạo Khê/Đông Triều). */
export const MINING_AREAS: readonly Place[] = [
  { name: 'Cẩm Phả', lon: 107.29, lat: 21.01 },
  { name: 'Mông Dương', lon: 107.33, lat: 21.08 },
  { name: 'Uông Bí', lon: 106.77, lat: 21.04 },
  { name: 'Mạo Khê – Đông Triều', lon: 106.55, lat: 21.07 },
]

/** Stations closer than this to a mining area get its higher dust and SO2 baseline. */
export const MINING_INFLUENCE_KM = 8

const EARTH_RADIUS_KM = 6371
const RAD = Math.PI / 180

/** Equirectangular distance: within 0.1% of haversine over the tens of kilometres used here, and cheaper. */
export function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const x = (lon2 - lon1) * RAD * Math.cos(((lat1 + lat2) / 2) * RAD)
  const y = (lat2 - lat1) * RAD
  return Math.sqrt(x * x + y * y) * EARTH_RADIUS_KM
}

export function nearestMiningKm(lon: number, lat: number): number {
  let best = Infinity
  for (const m of MINING_AREAS) best = Math.min(best, distanceKm(lon, lat, m.lon, m.lat))
  return best
}

/** Moves a point `km` kilometres at `bearing` radians (north = 0); for scattering episode centres. */
export function offsetKm(lon: number, lat: number, km: number, bearing: number): [lon: number, lat: number] {
  const dLat = (km * Math.cos(bearing)) / EARTH_RADIUS_KM / RAD
  const dLon = (km * Math.sin(bearing)) / (EARTH_RADIUS_KM * Math.cos(lat * RAD)) / RAD
  return [lon + dLon, lat + dLat]
}
