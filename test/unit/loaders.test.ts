// The reference loaders a city uses: RFC 4180 CSV, header checks, and one test per kind of row error.
import { describe, it, expect } from 'vitest'
import type { Camera, Ring, Station, Unit } from '../../contract/index.ts'
import {
  formatCamerasCsv,
  formatCsv,
  formatStationsCsv,
  formatUnitsGeoJson,
  parseCamerasCsv,
  parseCsv,
  parseStationsCsv,
  parseUnitsGeoJson,
  readTable,
} from '../../db/loaders/index.ts'

const square = (x0: number, y0: number, size: number): Ring => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
]
const unit = (id: string, parentId: string | null, ring: Ring | null = null): Unit => ({
  id,
  parentId,
  name: `Unit ${id}`,
  level: 'xã',
  type: parentId ? 'locality' : 'province',
  geometry: ring && { type: 'Polygon', coordinates: [ring] },
  approximate: false,
})
/** A province 107–108 E, 21–22 N with one locality in its south-west quarter and a ward inside that. */
const UNITS = [unit('P', null, square(107, 21, 1)), unit('P-A', 'P', square(107, 21, 0.5)), unit('P-A-1', 'P-A', square(107, 21, 0.1))]

const STATION_HEADER = 'id,name,kind,unit_id,lon,lat,expected_interval_sec'
const stationsCsv = (...rows: string[]) => [STATION_HEADER, ...rows].join('\n')

describe('parseCsv', () => {
  it('reads quoted fields with separators, escaped quotes and line breaks', () => {
    const { records, errors } = parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\n')
    expect(errors).toEqual([])
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
    ])
  })

  it('accepts CRLF line ends and numbers records by their first line', () => {
    const { records } = parseCsv('a,b\r\n"1\r\n2",3\r\n4,5\r\n')
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1\r\n2', '3'] },
      { line: 4, fields: ['4', '5'] },
    ])
  })

  it('ignores a UTF-8 byte-order mark', () => {
    expect(parseCsv('\uFEFFid,name\n1,x').records[0]!.fields).toEqual(['id', 'name'])
  })

  it('skips blank lines but keeps counting them', () => {
    expect(parseCsv('a\n\n1\n\n').records).toEqual([
      { line: 1, fields: ['a'] },
      { line: 3, fields: ['1'] },
    ])
  })

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,,c,\n').records[0]!.fields).toEqual(['a', '', 'c', ''])
  })

  it('reports a quoted field that is never closed', () => {
    const { errors } = parseCsv('a,b\n1,"open\n2,3\n')
    expect(errors).toEqual([{ row: 2, message: expect.stringContaining('not closed') }])
  })

  it('reports text after a closing quote', () => {
    const { records, errors } = parseCsv('a,b\n"x"y,2\n3,4\n')
    expect(errors).toEqual([{ row: 2, message: expect.stringContaining('after a closing quote') }])
    expect(records.map((r) => r.line)).toEqual([1, 3])
  })

  it('numbers records by their first line after several quoted CRLF line breaks', () => {
    // csv-parse's own line count is taken at a record's end and counts a CRLF inside quotes twice
    const { records } = parseCsv('a,b\r\n"1\r\n2\r\n3",x\r\n"4\r\n5",y\r\nz,w\r\n')
    expect(records.map((r) => r.line)).toEqual([1, 2, 5, 7])
  })

  it('accepts LF, CRLF and CR line ends mixed in one file', () => {
    expect(parseCsv('a,b\n1,2\r\n3,4\r5,6').records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
      { line: 4, fields: ['5', '6'] },
    ])
  })

  it('skips lines of only spaces and counts lines after a byte-order mark from the first', () => {
    expect(parseCsv('\uFEFF\n  \nid\n1\n').records).toEqual([
      { line: 3, fields: ['id'] },
      { line: 4, fields: ['1'] },
    ])
  })

  it('reports a quote inside a field that does not start with one, and reads on', () => {
    const { records, errors } = parseCsv('a,b\nx"y,2\n3,4\n')
    expect(errors).toEqual([{ row: 2, message: expect.stringContaining('quote inside a field') }])
    expect(records.map((r) => r.line)).toEqual([1, 3])
  })

  it('reports every malformed record at its line and keeps the records between them', () => {
    const { records, errors } = parseCsv('a\n"x"y\n"ok"\n\n"p"q\r\nz\n')
    expect(errors.map((e) => e.row)).toEqual([2, 5])
    expect(records).toEqual([
      { line: 1, fields: ['a'] },
      { line: 3, fields: ['ok'] },
      { line: 6, fields: ['z'] },
    ])
  })

  it('round-trips what formatCsv writes', () => {
    const rows = [['plain', 'with, comma', 'with "quote"', 'two\nlines', ' padded ', null, 1.5]]
    const text = formatCsv(['a', 'b', 'c', 'd', 'e', 'f', 'g'], rows)
    expect(parseCsv(text).records[1]!.fields).toEqual(['plain', 'with, comma', 'with "quote"', 'two\nlines', ' padded ', '', '1.5'])
  })
})

describe('readTable', () => {
  const spec = { required: ['id', 'lon'], optional: ['note'] }

  it('maps columns by header name in any order, absent optional columns reading empty', () => {
    const { rows, errors } = readTable('lon,id\n107.1, QN-1 \n', spec)
    expect(errors).toEqual([])
    expect(rows[0]!.get('id')).toBe('QN-1')
    expect(rows[0]!.get('lon')).toBe('107.1')
    expect(rows[0]!.get('note')).toBe('')
  })

  it('rejects the file when a required column is missing', () => {
    const { rows, errors } = readTable('id,note\n1,x\n', spec)
    expect(rows).toEqual([])
    expect(errors).toEqual([{ row: 1, field: 'lon', message: "missing required column 'lon'" }])
  })

  it('rejects the file on an unknown column', () => {
    const { rows, errors } = readTable('id,lon,notes\n1,2,3\n', spec)
    expect(rows).toEqual([])
    expect(errors).toEqual([{ row: 1, field: 'notes', message: expect.stringContaining("unknown column 'notes'") }])
  })

  it('suggests the column a misspelt one was meant to be', () => {
    const { errors } = readTable('id,lon,notes\n1,2,3\n', spec)
    expect(errors).toEqual([{ row: 1, field: 'notes', message: "unknown column 'notes'; expected id, lon, note (did you mean 'note'?)" }])
  })

  it('rejects the file on a repeated column', () => {
    const { errors } = readTable('id,lon,id\n1,2,3\n', spec)
    expect(errors).toEqual([{ row: 1, field: 'id', message: "column 'id' appears more than once" }])
  })

  it('reports an empty file as a missing header', () => {
    expect(readTable('', spec).errors).toEqual([{ row: 1, message: expect.stringContaining('header') }])
  })

  it('reports a row with the wrong number of fields', () => {
    const { rows, errors } = readTable('id,lon\n1,2\n3\n4,5,6\n', spec)
    expect(rows.map((r) => r.line)).toEqual([2])
    expect(errors).toEqual([
      { row: 3, message: 'expected 2 fields as in the header, found 1' },
      { row: 4, message: 'expected 2 fields as in the header, found 3' },
    ])
  })
})

describe('parseStationsCsv', () => {
  it('reads a valid station', () => {
    const { stations, errors } = parseStationsCsv(stationsCsv('QN-KK-001,Trạm quan trắc không khí Bãi Cháy,air,P-A,107.2,21.2,60'), UNITS)
    expect(errors).toEqual([])
    expect(stations).toEqual([
      { id: 'QN-KK-001', name: 'Trạm quan trắc không khí Bãi Cháy', kind: 'air', unitId: 'P-A', lon: 107.2, lat: 21.2, expectedIntervalSec: 60 },
    ])
  })

  it('reads a spreadsheet export: BOM, CRLF, quoted name with a comma', () => {
    const text = '\uFEFF' + [STATION_HEADER, '"S-1","Trạm ""Cửa Ông"", cảng",water,,107.05,21.05,'].join('\r\n') + '\r\n'
    const { stations, errors } = parseStationsCsv(text, UNITS)
    expect(errors).toEqual([])
    expect(stations[0]).toMatchObject({ id: 'S-1', name: 'Trạm "Cửa Ông", cảng', kind: 'water' })
  })

  it('defaults the interval by kind: 60 s for air and noise, 300 s for water', () => {
    const { stations } = parseStationsCsv(stationsCsv('A,a,air,,107.2,21.2,', 'W,w,water,,107.2,21.3,', 'N,n,noise,,107.2,21.4,'), UNITS)
    expect(stations.map((s) => s.expectedIntervalSec)).toEqual([60, 300, 60])
  })

  it('defaults the interval when the column is absent', () => {
    const { stations, errors } = parseStationsCsv('id,name,kind,lon,lat\nW,w,water,107.2,21.2\n', UNITS)
    expect(errors).toEqual([])
    expect(stations[0]).toMatchObject({ expectedIntervalSec: 300, unitId: 'P-A' })
  })

  it('finds the deepest unit containing the point when unit_id is empty', () => {
    const { stations } = parseStationsCsv(stationsCsv('W,w,air,,107.05,21.05,', 'L,l,air,,107.3,21.3,', 'P,p,air,,107.8,21.8,', 'O,o,air,,109,21.5,'), UNITS)
    expect(stations.map((s) => [s.id, s.unitId])).toEqual([
      ['W', 'P-A-1'],
      ['L', 'P-A'],
      ['P', 'P'],
      ['O', null],
    ])
  })

  it('keeps an explicit unit_id even where the point is elsewhere', () => {
    const { stations } = parseStationsCsv(stationsCsv('S,s,air,P,107.05,21.05,'), UNITS)
    expect(stations[0]!.unitId).toBe('P')
  })

  const rejects = (row: string, field: string, message: string | RegExp) => {
    const { stations, errors } = parseStationsCsv(stationsCsv(row), UNITS)
    expect(stations).toEqual([])
    expect(errors).toEqual([{ row: 2, field, message: expect.stringMatching(message) }])
  }

  it('rejects an empty id', () => rejects(',s,air,,107.2,21.2,60', 'id', 'is required'))
  it('rejects an id that cannot be a topic level', () => rejects('QN/1,s,air,,107.2,21.2,60', 'id', 'not a valid id'))
  it('rejects an empty name', () => rejects('S,,air,,107.2,21.2,60', 'name', 'is required'))
  it('rejects an unknown kind', () => rejects('S,s,soil,,107.2,21.2,60', 'kind', "'soil' is not one of air, water, noise"))
  it('rejects a longitude that is not a number', () => rejects('S,s,air,,abc,21.2,60', 'lon', "'abc' is not a number"))
  it('rejects an empty longitude', () => rejects('S,s,air,,,21.2,60', 'lon', 'not a number'))
  it('rejects a longitude out of range', () => rejects('S,s,air,,181,21.2,60', 'lon', 'between -180 and 180'))
  it('rejects a latitude out of range (swapped coordinates)', () => rejects('S,s,air,,21.2,107.2,60', 'lat', 'between -90 and 90'))
  it('rejects a zero interval', () => rejects('S,s,air,,107.2,21.2,0', 'expected_interval_sec', 'positive whole number'))
  it('rejects a fractional interval', () => rejects('S,s,air,,107.2,21.2,1.5', 'expected_interval_sec', 'positive whole number'))
  it('rejects a unit that is not loaded', () => rejects('S,s,air,QN-XX,107.2,21.2,60', 'unit_id', "unit 'QN-XX' is not loaded"))
  it('rejects a malformed unit id', () => rejects('S,s,air,bad id,107.2,21.2,60', 'unit_id', 'not a valid id'))

  it('rejects a repeated id and names the first row', () => {
    const { stations, errors } = parseStationsCsv(stationsCsv('S,a,air,,107.2,21.2,60', 'S,b,air,,107.3,21.3,60'), UNITS)
    expect(stations.map((s) => s.name)).toEqual(['a'])
    expect(errors).toEqual([{ row: 3, field: 'id', message: "duplicate id 'S' (first on row 2)" }])
  })

  it('reports every bad field of a row and keeps the good rows', () => {
    const { stations, errors } = parseStationsCsv(stationsCsv('A,a,air,,107.2,21.2,60', 'B,,dust,,x,21.2,-1', 'C,c,noise,,107.3,21.3,'), UNITS)
    expect(stations.map((s) => s.id)).toEqual(['A', 'C'])
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'name'],
      [3, 'kind'],
      [3, 'lon'],
      [3, 'expected_interval_sec'],
    ])
  })

  it("lists a row's errors in column order, the checks across rows included", () => {
    const { errors } = parseStationsCsv(stationsCsv('S,a,air,,107.2,21.2,60', 'S,b,dust,QN-XX,107.3,91,60'), UNITS)
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'id'],
      [3, 'kind'],
      [3, 'unit_id'],
      [3, 'lat'],
    ])
  })

  it('round-trips what formatStationsCsv writes', () => {
    const stations: Station[] = [
      { id: 'S-1', name: 'Trạm, "một"', kind: 'water', unitId: 'P-A', lon: 107.12345, lat: 21.54321, expectedIntervalSec: 300 },
      { id: 'S-2', name: 'Trạm hai', kind: 'noise', unitId: null, lon: 109, lat: 21.5, expectedIntervalSec: 60 },
    ]
    expect(parseStationsCsv(formatStationsCsv(stations), UNITS)).toEqual({ stations, errors: [] })
  })
})

describe('parseCamerasCsv', () => {
  const HEADER = 'id,name,kind,site,unit_id,lon,lat,capacity,expected_interval_sec'
  const camerasCsv = (...rows: string[]) => [HEADER, ...rows].join('\n')

  it('reads service-centre and road cameras, an empty capacity as null', () => {
    const { cameras, errors } = parseCamerasCsv(
      camerasCsv('C-1,Sảnh 1,service_center,Trung tâm A,,107.05,21.05,120,', 'C-2,QL18 Km 5,road,QL18,P,107.6,21.6,,30'),
      UNITS,
    )
    expect(errors).toEqual([])
    expect(cameras).toEqual([
      { id: 'C-1', name: 'Sảnh 1', kind: 'service_center', site: 'Trung tâm A', unitId: 'P-A-1', lon: 107.05, lat: 21.05, capacity: 120, expectedIntervalSec: 60 },
      { id: 'C-2', name: 'QL18 Km 5', kind: 'road', site: 'QL18', unitId: 'P', lon: 107.6, lat: 21.6, capacity: null, expectedIntervalSec: 30 },
    ])
  })

  const rejects = (row: string, field: string, message: string) => {
    const { cameras, errors } = parseCamerasCsv(camerasCsv(row), UNITS)
    expect(cameras).toEqual([])
    expect(errors).toEqual([{ row: 2, field, message: expect.stringContaining(message) }])
  }

  it('rejects an unknown kind', () => rejects('C,c,parking,S,,107.2,21.2,,', 'kind', "'parking' is not one of service_center, road"))
  it('rejects an empty site', () => rejects('C,c,road,,,107.2,21.2,,', 'site', 'is required'))
  it('rejects a negative capacity', () => rejects('C,c,service_center,S,,107.2,21.2,-5,', 'capacity', 'positive whole number'))
  it('rejects a capacity that is not a number', () => rejects('C,c,service_center,S,,107.2,21.2,many,', 'capacity', 'positive whole number'))
  it('rejects a non-numeric interval', () => rejects('C,c,road,S,,107.2,21.2,,1e400', 'expected_interval_sec', 'positive whole number'))

  it('rejects a station file loaded as cameras: the site column is missing', () => {
    const { cameras, errors } = parseCamerasCsv(stationsCsv('S,s,air,,107.2,21.2,60'), UNITS)
    expect(cameras).toEqual([])
    expect(errors).toEqual([{ row: 1, field: 'site', message: "missing required column 'site'" }])
  })

  it('round-trips what formatCamerasCsv writes', () => {
    const cameras: Camera[] = [
      { id: 'C-1', name: 'Camera – sảnh', kind: 'service_center', site: 'Trung tâm, tỉnh', unitId: 'P', lon: 107.5, lat: 21.5, capacity: 80, expectedIntervalSec: 60 },
      { id: 'C-2', name: 'Camera QL18', kind: 'road', site: 'QL18', unitId: null, lon: 109, lat: 21.5, capacity: null, expectedIntervalSec: 60 },
    ]
    expect(parseCamerasCsv(formatCamerasCsv(cameras), UNITS)).toEqual({ cameras, errors: [] })
  })
})

describe('parseUnitsGeoJson', () => {
  const polygon = (ring: Ring = square(107, 21, 1)) => ({ type: 'Polygon', coordinates: [ring] })
  const feature = (props: Record<string, unknown>, geometry: unknown = polygon()) => ({ type: 'Feature', properties: props, geometry })
  const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features })
  const parse = (...features: unknown[]) => parseUnitsGeoJson(collection(...features))
  const ok = (id: string, parent_id: string | null = null, extra: Record<string, unknown> = {}) =>
    feature({ id, parent_id, name: `Unit ${id}`, level: 'xã', ...extra })

  it('reads a tree of units', () => {
    const { units, errors } = parse(ok('P', null, { approximate: true }), ok('P-A', 'P'), ok('P-A-1', 'P-A'))
    expect(errors).toEqual([])
    expect(units.map((u) => [u.id, u.parentId, u.approximate])).toEqual([
      ['P', null, true],
      ['P-A', 'P', false],
      ['P-A-1', 'P-A', false],
    ])
    expect(units[0]!.geometry).toEqual(polygon())
  })

  it('reads the type, defaulting to province for a root and locality below it', () => {
    const { units, errors } = parse(ok('P'), ok('P-A', 'P', { type: 'area' }), ok('P-A-1', 'P-A'), ok('P-SXD', 'P', { type: 'department' }), ok('P-C', 'P', { type: '' }))
    expect(errors).toEqual([])
    expect(units.map((u) => [u.id, u.type])).toEqual([
      ['P', 'province'],
      ['P-A', 'area'],
      ['P-A-1', 'locality'],
      ['P-SXD', 'department'],
      ['P-C', 'locality'],
    ])
  })

  it('accepts children listed before their parents', () => {
    expect(parse(ok('P-A', 'P'), ok('P')).errors).toEqual([])
  })

  it('accepts a parent that is already loaded', () => {
    const { units, errors } = parseUnitsGeoJson(collection(ok('P-B', 'P')), UNITS)
    expect(errors).toEqual([])
    expect(units[0]!.parentId).toBe('P')
  })

  it('accepts a null geometry, a MultiPolygon, an id on the feature and a BOM', () => {
    const multi = { type: 'MultiPolygon', coordinates: [[square(107, 21, 1)], [square(108, 21, 1)]] }
    const text = '\uFEFF' + collection(feature({ id: 'A', name: 'A', level: 'xã' }, null), { ...feature({ name: 'B', level: 'xã' }, multi), id: 'B' })
    const { units, errors } = parseUnitsGeoJson(text)
    expect(errors).toEqual([])
    expect(units.map((u) => [u.id, u.geometry?.type ?? null])).toEqual([
      ['A', null],
      ['B', 'MultiPolygon'],
    ])
  })

  it('drops altitudes from positions', () => {
    const ring = square(107, 21, 1).map(([x, y]) => [x, y, 12])
    expect(parse(feature({ id: 'A', name: 'A', level: 'xã' }, { type: 'Polygon', coordinates: [ring] })).units[0]!.geometry).toEqual(polygon())
  })

  it('reports invalid JSON for the whole file', () => {
    expect(parseUnitsGeoJson('{"type":')).toEqual({ units: [], errors: [{ row: 0, message: expect.stringContaining('not valid JSON') }] })
  })

  it('reports a document that is not a FeatureCollection', () => {
    expect(parseUnitsGeoJson(JSON.stringify(ok('A'))).errors).toEqual([{ row: 0, message: expect.stringContaining('FeatureCollection') }])
  })

  const rejects = (f: unknown, field: string | undefined, message: string) => {
    const { units, errors } = parse(ok('GOOD'), f)
    expect(units.map((u) => u.id)).toEqual(['GOOD'])
    expect(errors).toEqual([field ? { row: 2, field, message: expect.stringContaining(message) } : { row: 2, message: expect.stringContaining(message) }])
  }

  it('rejects something that is not a Feature', () => rejects({ type: 'Point', coordinates: [1, 2] }, undefined, 'not a GeoJSON Feature'))
  it('rejects a feature without an id', () => rejects(feature({ name: 'A', level: 'xã' }), 'id', 'is required'))
  it('rejects an invalid id', () => rejects(ok('A B'), 'id', 'not a valid id'))
  it('rejects an invalid parent id', () => rejects(ok('A', 'x/y'), 'parent_id', 'not a valid id'))
  it('rejects a missing name', () => rejects(feature({ id: 'A', level: 'xã' }), 'name', 'is required'))
  it('rejects a missing level', () => rejects(feature({ id: 'A', name: 'A' }), 'level', 'is required'))
  it('rejects approximate that is not a boolean', () => rejects(ok('A', null, { approximate: 'yes' }), 'approximate', 'true or false'))
  it('rejects an unknown type', () => rejects(ok('A', null, { type: 'district' }), 'type', '"district" is not one of province, area, department, locality, centre'))
  it('rejects a Point geometry', () => rejects(feature({ id: 'A', name: 'A', level: 'xã' }, { type: 'Point', coordinates: [107, 21] }), 'geometry', 'must be a Polygon'))
  it('rejects a ring that is not closed', () => rejects(feature({ id: 'A', name: 'A', level: 'xã' }, polygon(square(107, 21, 1).slice(0, 4).concat([[107.5, 21]]))), 'geometry', 'ring 1 is not closed'))
  it('rejects a ring with too few positions', () => rejects(feature({ id: 'A', name: 'A', level: 'xã' }, polygon([[107, 21], [108, 21], [107, 21]])), 'geometry', 'at least 4 positions'))
  it('rejects a position out of range', () => rejects(feature({ id: 'A', name: 'A', level: 'xã' }, polygon(square(21, 107, 1))), 'geometry', 'out of range'))
  it('rejects a position that is not numbers', () => rejects(feature({ id: 'A', name: 'A', level: 'xã' }, polygon([['107', 21], [108, 21], [108, 22], ['107', 21]] as never)), 'geometry', 'is not [lon, lat]'))
  it('rejects a polygon without rings', () => rejects(feature({ id: 'A', name: 'A', level: 'xã' }, { type: 'Polygon', coordinates: [] }), 'geometry', 'at least an outer ring'))
  it('rejects an empty MultiPolygon', () => rejects(feature({ id: 'A', name: 'A', level: 'xã' }, { type: 'MultiPolygon', coordinates: [] }), 'geometry', 'at least one polygon'))
  it('rejects a bad ring inside a MultiPolygon, naming the polygon', () =>
    rejects(feature({ id: 'A', name: 'A', level: 'xã' }, { type: 'MultiPolygon', coordinates: [[square(107, 21, 1)], [square(107, 21, 1).slice(0, 4)]] }), 'geometry', 'ring 1 of polygon 2 is not closed'))
  it('rejects a parent that is neither in the file nor loaded', () => rejects(ok('A', 'NOWHERE'), 'parent_id', "parent 'NOWHERE' is neither in this file nor loaded"))
  it('rejects a unit that is its own parent', () => rejects(ok('A', 'A'), 'parent_id', 'cycle: A → A'))

  it('rejects a repeated id and names the first feature', () => {
    const { units, errors } = parse(ok('A'), ok('A'))
    expect(units).toHaveLength(1)
    expect(errors).toEqual([{ row: 2, field: 'id', message: "duplicate id 'A' (first on row 1)" }])
  })

  it('rejects every unit of a cycle in the file, and the units under it', () => {
    const { units, errors } = parse(ok('ROOT'), ok('A', 'B'), ok('B', 'C'), ok('C', 'A'), ok('D', 'C'))
    expect(units.map((u) => u.id)).toEqual(['ROOT'])
    expect(errors).toEqual([
      { row: 2, field: 'parent_id', message: 'cycle: A → B → C → A' },
      { row: 3, field: 'parent_id', message: 'cycle: B → C → A → B' },
      { row: 4, field: 'parent_id', message: 'cycle: C → A → B → C' },
      { row: 5, field: 'parent_id', message: "parent 'C' was rejected (row 4)" },
    ])
  })

  it('rejects re-parenting a loaded unit under its own descendant', () => {
    // P-A is loaded under P; making P a child of P-A-1 would close P → P-A-1 → P-A → P.
    const { errors } = parseUnitsGeoJson(collection(ok('P', 'P-A-1')), UNITS)
    expect(errors).toEqual([{ row: 1, field: 'parent_id', message: 'cycle: P → P-A-1 → P-A → P' }])
  })

  it('rejects the children of a rejected parent, down the tree', () => {
    const { units, errors } = parse(ok('A', null, { level: '' }), ok('A-1', 'A'), ok('A-1-x', 'A-1'))
    expect(units).toEqual([])
    expect(errors.map((e) => [e.row, e.field, e.message])).toEqual([
      [1, 'level', 'is required'],
      [2, 'parent_id', "parent 'A' was rejected (row 1)"],
      [3, 'parent_id', "parent 'A-1' was rejected (row 2)"],
    ])
  })

  it('round-trips what formatUnitsGeoJson writes', () => {
    const units = [{ ...UNITS[0]!, approximate: true }, UNITS[1]!, unit('P-B', 'P'), { ...unit('P-SXD', 'P'), type: 'department' as const }]
    expect(parseUnitsGeoJson(formatUnitsGeoJson(units))).toEqual({ units, errors: [] })
  })
})
