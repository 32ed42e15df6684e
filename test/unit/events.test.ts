import { describe, it, expect } from 'vitest'
import { LIVE_CHANNELS, MAX_ROOMS_PER_REQUEST, parseRooms } from '../../contract/index.ts'

/** The rooms a request names, against the registered channels, or the error. */
const roomsOf = (req: unknown) => {
  const r = parseRooms(req, LIVE_CHANNELS)
  return Array.isArray(r) ? r.map((x) => x.room) : r
}

describe('parseRooms', () => {
  it('accepts the list rooms and per-device rooms', () => {
    expect(roomsOf({ rooms: ['stations', 'cameras', 'station:qn-01', 'camera:cam-7'] })).toEqual([
      'stations',
      'cameras',
      'station:qn-01',
      'camera:cam-7',
    ])
  })

  it('accepts an empty list', () => {
    expect(roomsOf({ rooms: [] })).toEqual([])
  })

  it('accepts a device id that itself contains a colon', () => {
    expect(roomsOf({ rooms: ['station:vn:qn:01'] })).toEqual(['station:vn:qn:01'])
  })

  it('rejects a request without rooms', () => {
    expect(roomsOf({})).toEqual({ code: 'bad_request', field: 'rooms', message: 'rooms: expected an array of room names' })
  })

  it('rejects a null request', () => {
    expect(roomsOf(null)).toMatchObject({ code: 'bad_request', field: 'rooms' })
  })

  it('rejects an undefined request', () => {
    expect(roomsOf(undefined)).toMatchObject({ code: 'bad_request', field: 'rooms' })
  })

  it('rejects rooms given as a single string', () => {
    expect(roomsOf({ rooms: 'stations' })).toMatchObject({ field: 'rooms' })
  })

  it('accepts exactly the maximum number of rooms', () => {
    const rooms = Array.from({ length: MAX_ROOMS_PER_REQUEST }, (_, i) => `station:s${i}`)
    expect(roomsOf({ rooms })).toEqual(rooms)
  })

  it('rejects one room more than the maximum', () => {
    const rooms = Array.from({ length: MAX_ROOMS_PER_REQUEST + 1 }, (_, i) => `station:s${i}`)
    expect(roomsOf({ rooms })).toEqual({ code: 'bad_request', field: 'rooms', message: 'rooms: at most 500 per request' })
  })

  it('names the first bad entry by its index', () => {
    const r = roomsOf({ rooms: ['stations', 'alerts', 'also-bad'] })
    expect(r).toEqual({
      code: 'bad_request',
      field: 'rooms[1]',
      message: "rooms[1]: 'alerts' is not 'stations', 'cameras', 'dossiers', 'report-inboxes', 'station:<id>', 'camera:<id>', 'dossier-unit:<id>' or 'report-inbox:<id>'",
    })
  })

  it('rejects a device room without an id', () => {
    expect(roomsOf({ rooms: ['station:'] })).toMatchObject({ field: 'rooms[0]' })
  })

  it('rejects a device room whose id is an MQTT wildcard', () => {
    expect(roomsOf({ rooms: ['camera:#'] })).toMatchObject({ field: 'rooms[0]' })
  })

  it('rejects a device room whose id has a slash', () => {
    expect(roomsOf({ rooms: ['station:a/b'] })).toMatchObject({ field: 'rooms[0]' })
  })

  it('rejects a room prefix in the wrong case', () => {
    expect(roomsOf({ rooms: ['Station:a'] })).toMatchObject({ field: 'rooms[0]' })
  })

  it('rejects a non-string entry', () => {
    expect(roomsOf({ rooms: ['stations', 42] })).toMatchObject({ field: 'rooms[1]', message: expect.stringContaining("'42'") })
  })
})
