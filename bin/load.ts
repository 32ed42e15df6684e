// Loads a city's own reference data: npm run db:load -- units|stations|cameras|procedures|calendar|report-categories|report-routes
// <file>, into DATABASE_URL or,
// when it is unset, into the embedded database in DATA_DIR (with `npm start` stopped).
// Prints every rejected row with its row number and field, loads the valid rows, and exits 2 when any row
// was rejected (0 otherwise, 1 on a usage or connection problem), so a script can tell a partial load.

import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { startEmbeddedDatabase } from '../db/embedded/index.ts'
import { migrate } from '../db/migrate.ts'
import { redactUrl } from '../core/log.ts'
import type { Database } from '../db/database.ts'
import { openPostgres } from '../db/postgres.ts'
import { loadReference, upsertCameras, upsertStations, upsertUnits } from '../db/reference.ts'
import { upsertCalendarOverrides, upsertProcedures } from '../db/dossier-reference.ts'
import { parseCalendarCsv, parseCamerasCsv, parseProceduresCsv, parseReportCategoriesCsv, parseReportRoutesCsv, parseStationsCsv, parseUnitsGeoJson, type RowError } from '../db/loaders/index.ts'
import { loadReportCategories, upsertReportCategories, upsertReportRoutes } from '../db/report-reference.ts'

const USAGE = `usage: npm run db:load -- units|stations|cameras|procedures|calendar|report-categories|report-routes <file>
  units       GeoJSON FeatureCollection; properties id, parent_id, name, level, type, approximate
              (type: province, area, department, locality or centre; default province for a root, else locality)
  stations    CSV: id,name,kind,unit_id,lon,lat,expected_interval_sec
  cameras     CSV: id,name,kind,site,unit_id,lon,lat,capacity,expected_interval_sec
  procedures  CSV: code,name,field,legal_days,online_level,has_fee
              (online_level: full, partial, none or the legacy 1–4; legal_days in working days, 0.5 = half a day)
  calendar    CSV: day,working,note — the year's announced days off and make-up working days, e.g.
              2026-02-14,true,Làm bù; each replaces the seeded holiday of its day
  report-categories  CSV: code,name,name_en,field,priority,description (priority: urgent, complex or normal)
  report-routes      CSV: unit_id,category,agency_id — in this unit and below, this category goes to this agency
unit_id may be empty: the device then goes to the deepest loaded unit containing its point.`

const TARGETS = ['units', 'stations', 'cameras', 'procedures', 'calendar', 'report-categories', 'report-routes'] as const

async function main(): Promise<number> {
  const [target, file] = process.argv.slice(2)
  if (!file || !(TARGETS as readonly string[]).includes(target ?? '')) {
    console.error(USAGE)
    return 1
  }
  const text = await readFile(file, 'utf8')
  // without DATABASE_URL: the embedded database of `npm start` in DATA_DIR (stop the IOC first: a second
  // process must not open the same files)
  const url = process.env.DATABASE_URL
  const db: Database = url ? openPostgres(url, { max: 1, applicationName: 'ioc-load' }) : await openEmbedded()
  try {
    await migrate(db) // a fresh database works too
    const known = await loadReference(db)
    let errors: RowError[]
    let loaded: number
    if (target === 'units') {
      const r = parseUnitsGeoJson(text, known.units)
      errors = r.errors
      loaded = r.units.length
      await upsertUnits(db, r.units)
    } else if (target === 'stations') {
      const r = parseStationsCsv(text, known.units)
      errors = r.errors
      loaded = r.stations.length
      await upsertStations(db, r.stations)
    } else if (target === 'cameras') {
      const r = parseCamerasCsv(text, known.units)
      errors = r.errors
      loaded = r.cameras.length
      await upsertCameras(db, r.cameras)
    } else if (target === 'procedures') {
      const r = parseProceduresCsv(text)
      errors = r.errors
      loaded = r.procedures.length
      await upsertProcedures(db, r.procedures)
    } else if (target === 'report-categories') {
      const r = parseReportCategoriesCsv(text)
      errors = r.errors
      loaded = r.categories.length
      await upsertReportCategories(db, r.categories)
    } else if (target === 'report-routes') {
      const categories = new Set((await loadReportCategories(db)).map((c) => c.code))
      const r = parseReportRoutesCsv(text, known.units, categories)
      errors = r.errors
      loaded = r.rules.length
      await upsertReportRoutes(db, r.rules)
    } else {
      const r = parseCalendarCsv(text)
      errors = r.errors
      loaded = r.days.length
      await upsertCalendarOverrides(db, r.days)
    }
    for (const e of errors) console.error(`${file}: ${e.row === 0 ? 'file' : `row ${e.row}`}${e.field ? `, field ${e.field}` : ''}: ${e.message}`)
    const rejected = new Set(errors.map((e) => e.row)).size
    console.log(`loaded ${loaded} ${target === 'calendar' ? 'calendar days' : target} into ${url ? redactUrl(url) : 'the embedded database'}${rejected ? `; ${rejected} row(s) rejected` : ''}`)
    return errors.length ? 2 : 0
  } finally {
    await db.end()
  }
}

async function openEmbedded() {
  const dir = join(resolve(process.env.DATA_DIR ?? './data'), 'timescaledb')
  console.log(`DATABASE_URL is not set: loading into the embedded database in ${dir}`)
  return startEmbeddedDatabase(dir)
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`db:load failed: ${err.message}`)
    process.exit(1)
  },
)
