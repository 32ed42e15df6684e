import { describe, it, expect } from 'vitest'
import { MAX_ROOMS_PER_REQUEST, parseRooms } from '../../contract/index.ts'

describe('parseRooms', () => {
  it('accepts the list rooms and per-device rooms', () => {
    expect(parseRooms({ rooms: ['stations', 'cameras', 'station:qn-01', 'camera:cam-7'] })).toEqual([
      'stations',
      'cameras',
      'station:qn-01',
      'camera:cam-7',
    ])
  })

  it('accepts an empty list', () => {
    expect(parseRooms({ rooms: [] })).toEqual([])
  })

  it('accepts a device id that itself contains a colon', () => {
    expect(parseRooms({ rooms: ['station:vn:qn:01'] })).toEqual(['station:vn:qn:01'])
  })

  it('rejects a request without rooms', () => {
    expect(parseRooms({})).toEqual({ code: 'bad_request', field: 'rooms', message: 'rooms: expected an array of room names' })
  })

  it('rejects a null request', () => {
    expect(parseRooms(null)).toMatchObject({ code: 'bad_request', field: 'rooms' })
  })

  it('rejects an undefined request', () => {
    expect(parseRooms(undefined)).toMatchObject({ code: 'bad_request', field: 'rooms' })
  })

  it('rejects rooms given as a single string', () => {
    expect(parseRooms({ rooms: 'stations' })).toMatchObject({ field: 'rooms' })
  })

  it('accepts exactly the maximum number of rooms', () => {
    const rooms = Array.from({ length: MAX_ROOMS_PER_REQUEST }, (_, i) => `station:s${i}`)
    expect(parseRooms({ rooms })).toEqual(rooms)
  })

  it('rejects one room more than the maximum', () => {
    const rooms = Array.from({ length: MAX_ROOMS_PER_REQUEST + 1 }, (_, i) => `station:s${i}`)
    expect(parseRooms({ rooms })).toEqual({ code: 'bad_request', field: 'rooms', message: 'rooms: at most 500 per request' })
  })

  it('names the first bad entry by its index', () => {
    const r = parseRooms({ rooms: ['stations', 'alerts', 'also-bad'] })
    expect(r).toEqual({
      code: 'bad_request',
      field: 'rooms[1]',
      message: "rooms[1]: 'alerts' is not 'stations', 'cameras', 'station:<id>' or 'camera:<id>'",
    })
  })

  it('rejects a device room without an id', () => {
    expect(parseRooms({ rooms: ['station:'] })).toMatchObject({ field: 'rooms[0]' })
  })

  it('rejects a device room whose id is an MQTT wildcard', () => {
    expect(parseRooms({ rooms: ['camera:#'] })).toMatchObject({ field: 'rooms[0]' })
  })

  it('rejects a device room whose id has a slash', () => {
    expect(parseRooms({ rooms: ['station:a/b'] })).toMatchObject({ field: 'rooms[0]' })
  })

  it('rejects a room prefix in the wrong case', () => {
    expect(parseRooms({ rooms: ['Station:a'] })).toMatchObject({ field: 'rooms[0]' })
  })

  it('rejects a non-string entry', () => {
    expect(parseRooms({ rooms: ['stations', 42] })).toMatchObject({ field: 'rooms[1]', message: expect.stringContaining("'42'") })
  })
})
