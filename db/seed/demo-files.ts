// The committed demo-province files: where they live, how they are written from the generator, and how they
// are read back through the same parsers a city's own files go through.

import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Camera, Station, Unit } from '../../contract/index.ts'
import { formatCamerasCsv, formatStationsCsv, formatUnitsGeoJson, parseCamerasCsv, parseStationsCsv, parseUnitsGeoJson, type RowError } from '../loaders/index.ts'
import type { DemoProvince } from './generate.ts'

export const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), 'demo-province')
export const DEMO_FILES = { units: 'units.geojson', stations: 'stations.csv', cameras: 'cameras.csv' } as const

/** File name → contents, exactly as committed. */
export function formatDemoFiles(demo: DemoProvince): Record<keyof typeof DEMO_FILES, string> {
  return {
    units: formatUnitsGeoJson(demo.units),
    stations: formatStationsCsv(demo.stations),
    cameras: formatCamerasCsv(demo.cameras),
  }
}

/** Reads and parses the committed files; any row error is a bug in the committed data, so it throws. */
export async function readDemoFiles(dir: string = DEMO_DIR): Promise<{ units: Unit[]; stations: Station[]; cameras: Camera[] }> {
  const read = (name: string) => readFile(join(dir, name), 'utf8')
  const [unitsText, stationsText, camerasText] = await Promise.all([read(DEMO_FILES.units), read(DEMO_FILES.stations), read(DEMO_FILES.cameras)])
  const units = parseUnitsGeoJson(unitsText)
  const stations = parseStationsCsv(stationsText, units.units)
  const cameras = parseCamerasCsv(camerasText, units.units)
  const problems = [
    ...describe(DEMO_FILES.units, units.errors),
    ...describe(DEMO_FILES.stations, stations.errors),
    ...describe(DEMO_FILES.cameras, cameras.errors),
  ]
  if (problems.length) throw new Error(`the demo province files are invalid (regenerate them):\n  ${problems.join('\n  ')}`)
  return { units: units.units, stations: stations.stations, cameras: cameras.cameras }
}

function describe(file: string, errors: RowError[]): string[] {
  return errors.map((e) => `${file} row ${e.row}${e.field ? `, ${e.field}` : ''}: ${e.message}`)
}
