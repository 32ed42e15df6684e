// What a city uses to load its own reference data, and what the demo seed loads its files with: pure
// parsers that return the valid rows beside row-level errors, and the writers of the same formats.
export type { RowError } from './row-error.ts'
export { parseCsv, formatCsv, formatCsvField, readTable, type CsvRecord } from './csv.ts'
export { parseUnitsGeoJson, formatUnitsGeoJson } from './units.ts'
export { parseStationsCsv, formatStationsCsv, STATION_COLUMNS, DEFAULT_STATION_INTERVAL_SEC } from './stations.ts'
export { parseCamerasCsv, formatCamerasCsv, CAMERA_COLUMNS, DEFAULT_CAMERA_INTERVAL_SEC } from './cameras.ts'
export { parseProceduresCsv, formatProceduresCsv, PROCEDURE_COLUMNS, MAX_LEGAL_DAYS } from './procedures.ts'
export { parseCalendarCsv, formatCalendarCsv, CALENDAR_COLUMNS } from './calendar.ts'
export { parseReportCategoriesCsv, parseReportRoutesCsv, formatReportCategoriesCsv, formatReportRoutesCsv, REPORT_CATEGORY_COLUMNS, REPORT_ROUTE_COLUMNS } from './reports.ts'
