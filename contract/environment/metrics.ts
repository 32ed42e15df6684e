// The catalogue of what stations and cameras may report: metric keys, units and the physical range
// outside which a value cannot be a real measurement (the ingest dead-letters it rather than store it).
// Ranges are deliberately wide: they reject broken sensors and unit mix-ups, not unusual pollution.

export type StationKind = 'air' | 'water' | 'noise'
export const STATION_KINDS: readonly StationKind[] = ['air', 'water', 'noise']

export interface MetricSpec {
  unit: string
  min: number
  max: number
  label: { vi: string; en: string }
}

export const METRICS = {
  // air quality (µg/m³ for every pollutant, CO too, as Decision 1459/QĐ-TCMT uses)
  pm1: { unit: 'µg/m³', min: 0, max: 1500, label: { vi: 'Bụi PM1', en: 'PM1' } },
  pm25: { unit: 'µg/m³', min: 0, max: 1500, label: { vi: 'Bụi PM2.5', en: 'PM2.5' } },
  pm10: { unit: 'µg/m³', min: 0, max: 3000, label: { vi: 'Bụi PM10', en: 'PM10' } },
  tsp: { unit: 'µg/m³', min: 0, max: 10000, label: { vi: 'Bụi tổng (TSP)', en: 'Total suspended particles' } },
  o3: { unit: 'µg/m³', min: 0, max: 3000, label: { vi: 'O₃', en: 'O₃' } },
  no2: { unit: 'µg/m³', min: 0, max: 10000, label: { vi: 'NO₂', en: 'NO₂' } },
  so2: { unit: 'µg/m³', min: 0, max: 20000, label: { vi: 'SO₂', en: 'SO₂' } },
  co: { unit: 'µg/m³', min: 0, max: 500000, label: { vi: 'CO', en: 'CO' } },
  // meteorology reported alongside air quality
  temp: { unit: '°C', min: -40, max: 60, label: { vi: 'Nhiệt độ', en: 'Temperature' } },
  humidity: { unit: '%', min: 0, max: 100, label: { vi: 'Độ ẩm', en: 'Humidity' } },
  pressure: { unit: 'hPa', min: 850, max: 1100, label: { vi: 'Áp suất', en: 'Pressure' } },
  wind_speed: { unit: 'm/s', min: 0, max: 90, label: { vi: 'Tốc độ gió', en: 'Wind speed' } },
  wind_dir: { unit: '°', min: 0, max: 360, label: { vi: 'Hướng gió', en: 'Wind direction' } },
  rain: { unit: 'mm', min: 0, max: 500, label: { vi: 'Lượng mưa', en: 'Rainfall' } },
  // noise
  noise: { unit: 'dBA', min: 0, max: 150, label: { vi: 'Tiếng ồn (LAeq)', en: 'Noise (LAeq)' } },
  noise_max: { unit: 'dBA', min: 0, max: 160, label: { vi: 'Tiếng ồn cực đại', en: 'Noise (LAmax)' } },
  // surface, coastal and waste water
  ph: { unit: 'pH', min: 0, max: 14, label: { vi: 'pH', en: 'pH' } },
  do: { unit: 'mg/L', min: 0, max: 25, label: { vi: 'Oxy hòa tan (DO)', en: 'Dissolved oxygen' } },
  cod: { unit: 'mg/L', min: 0, max: 5000, label: { vi: 'COD', en: 'COD' } },
  bod5: { unit: 'mg/L', min: 0, max: 3000, label: { vi: 'BOD₅', en: 'BOD₅' } },
  tss: { unit: 'mg/L', min: 0, max: 20000, label: { vi: 'Chất rắn lơ lửng (TSS)', en: 'Suspended solids' } },
  turbidity: { unit: 'NTU', min: 0, max: 5000, label: { vi: 'Độ đục', en: 'Turbidity' } },
  nh4: { unit: 'mg/L', min: 0, max: 500, label: { vi: 'Amoni (NH₄⁺)', en: 'Ammonium' } },
  no3: { unit: 'mg/L', min: 0, max: 1000, label: { vi: 'Nitrat (NO₃⁻)', en: 'Nitrate' } },
  po4: { unit: 'mg/L', min: 0, max: 200, label: { vi: 'Phosphat (PO₄³⁻)', en: 'Phosphate' } },
  conductivity: { unit: 'µS/cm', min: 0, max: 200000, label: { vi: 'Độ dẫn điện', en: 'Conductivity' } },
  salinity: { unit: '‰', min: 0, max: 50, label: { vi: 'Độ mặn', en: 'Salinity' } },
  water_temp: { unit: '°C', min: -2, max: 50, label: { vi: 'Nhiệt độ nước', en: 'Water temperature' } },
} as const satisfies Record<string, MetricSpec>

export type Metric = keyof typeof METRICS
export const METRIC_KEYS = Object.keys(METRICS) as Metric[]

export function isMetric(key: string): key is Metric {
  return Object.hasOwn(METRICS, key)
}

/** What each kind of station is expected to measure; the simulator and the seed use it. */
export const KIND_METRICS: Record<StationKind, readonly Metric[]> = {
  air: ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co', 'temp', 'humidity'],
  water: ['ph', 'do', 'cod', 'tss', 'nh4', 'turbidity', 'water_temp'],
  noise: ['noise', 'noise_max'],
}

/** An environment station as the reference data holds it. */
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
