// The committed demo-province files: where they live, how they are written from the generator, and how they
// are read back through the same parsers a city's own files go through.

import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Camera, Procedure, Station, Unit } from '../../contract/index.ts'
import {
  formatCamerasCsv,
  formatProceduresCsv,
  formatStationsCsv,
  formatUnitsGeoJson,
  parseCamerasCsv,
  parseProceduresCsv,
  parseStationsCsv,
  parseUnitsGeoJson,
  type RowError,
} from '../loaders/index.ts'
import type { DemoProvince } from './generate.ts'

export const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), 'demo-province')
export const DEMO_FILES = { units: 'units.geojson', stations: 'stations.csv', cameras: 'cameras.csv', procedures: 'procedures.csv' } as const

/** File name → contents, exactly as committed. */
export function formatDemoFiles(demo: DemoProvince): Record<keyof typeof DEMO_FILES, string> {
  return {
    units: formatUnitsGeoJson(demo.units),
    stations: formatStationsCsv(demo.stations),
    cameras: formatCamerasCsv(demo.cameras),
    procedures: formatProceduresCsv(demo.procedures),
  }
}

/** Reads and parses the committed files; any row error is a bug in the committed data, so it throws. */
export async function readDemoFiles(dir: string = DEMO_DIR): Promise<{ units: Unit[]; stations: Station[]; cameras: Camera[]; procedures: Procedure[] }> {
  const read = (name: string) => readFile(join(dir, name), 'utf8')
  const [unitsText, stationsText, camerasText, proceduresText] = await Promise.all([
    read(DEMO_FILES.units),
    read(DEMO_FILES.stations),
    read(DEMO_FILES.cameras),
    read(DEMO_FILES.procedures),
  ])
  const units = parseUnitsGeoJson(unitsText)
  const stations = parseStationsCsv(stationsText, units.units)
  const cameras = parseCamerasCsv(camerasText, units.units)
  const procedures = parseProceduresCsv(proceduresText)
  const problems = [
    ...describe(DEMO_FILES.units, units.errors),
    ...describe(DEMO_FILES.stations, stations.errors),
    ...describe(DEMO_FILES.cameras, cameras.errors),
    ...describe(DEMO_FILES.procedures, procedures.errors),
  ]
  if (problems.length) throw new Error(`the demo province files are invalid (regenerate them):\n  ${problems.join('\n  ')}`)
  return { units: units.units, stations: stations.stations, cameras: cameras.cameras, procedures: procedures.procedures }
}

function describe(file: string, errors: RowError[]): string[] {
  return errors.map((e) => `${file} row ${e.row}${e.field ? `, ${e.field}` : ''}: ${e.message}`)
}
