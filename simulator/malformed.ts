// Bad input on purpose: the simulator replaces a small share of its messages with the mistakes real devices
// and integrators make, so the ingest's dead-letter path is exercised all the time, not only in tests.
// Each message carries its kind so a caller can compare what it sent with what ingest dead-lettered.

import { cameraPayload, envPayload, METRICS, type DeadLetterCode, type TopicMap } from '../contract/index.ts'
import type { CameraCounts } from './cameras.ts'
import type { EnvValues } from './environment.ts'

export const MALFORMED_KINDS = [
  'invalid_json',
  'out_of_range',
  'wrong_type',
  'unknown_metric',
  'ts_in_future',
  'ts_too_old',
  'ts_epoch_seconds',
  'oversized',
  'unknown_device',
  'fractional_count',
] as const
export type MalformedKind = (typeof MALFORMED_KINDS)[number]

/** The dead-letter codes ingest is expected to give each kind (an unknown device is unknown_station or unknown_camera). */
export const MALFORMED_EXPECTED_CODES: Record<MalformedKind, readonly DeadLetterCode[]> = {
  invalid_json: ['invalid_json'],
  out_of_range: ['out_of_range'],
  wrong_type: ['wrong_type'],
  unknown_metric: ['unknown_metric'],
  ts_in_future: ['timestamp_in_future'],
  ts_too_old: ['timestamp_too_old'],
  ts_epoch_seconds: ['timestamp_too_old'],
  oversized: ['payload_too_large'],
  unknown_device: ['unknown_station', 'unknown_camera'],
  fractional_count: ['out_of_range'],
}

/** A well-formed id that no reference data contains. */
export const UNKNOWN_DEVICE_ID = 'ZZ-UNKNOWN-001'
/** Large enough to exceed a 64 KiB payload limit. */
export const OVERSIZED_BYTES = 70_000
// Far enough out that any sane ingest window rejects them, while real backfills (days) stay accepted.
export const FUTURE_SKEW_MS = 30 * 86_400_000
export const STALE_AGE_MS = 14 * 86_400_000

export interface MalformedMessage {
  kind: MalformedKind
  topic: string
  payload: string
}

/** The good reading a malformed message is made from. */
export type GoodReading =
  | { device: 'env'; id: string; ts: number; values: EnvValues }
  | { device: 'camera'; id: string; ts: number; periodSec: number; counts: CameraCounts; inside?: number }

/** Kinds that can be produced; a fractional count needs some camera to address it to. */
export function availableKinds(hasCameras: boolean): readonly MalformedKind[] {
  return hasCameras ? MALFORMED_KINDS : MALFORMED_KINDS.filter((k) => k !== 'fractional_count')
}

/**
 * Turns a good reading into one bad message of the given kind. Apart from the one defect the message is the
 * real reading, so a parser that keeps the valid part of a message keeps it and reports exactly one problem.
 * `cameraId` addresses a fractional count when the reading is from an environment station.
 */
export function buildMalformed(kind: MalformedKind, reading: GoodReading, topics: TopicMap, cameraId?: string): MalformedMessage {
  const topic = reading.device === 'env' ? topics.input('env', reading.id) : topics.input('camera', reading.id)
  const good = serialize(reading, reading.ts)
  switch (kind) {
    case 'invalid_json':
      // a payload cut short (a truncated MQTT frame, a buffer flushed too early): no prefix of an object is JSON
      return { kind, topic, payload: good.slice(0, Math.max(1, Math.floor(good.length / 2))) }
    case 'out_of_range':
      return { kind, topic, payload: withField(reading, (key, v) => impossible(reading.device, key, v)) }
    case 'wrong_type':
      return { kind, topic, payload: withField(reading, (_, v) => String(v)) }
    case 'unknown_metric':
      return { kind, topic, payload: withExtra(reading, reading.device === 'env' ? 'pm2_5' : 'motorcycle', 3) }
    case 'ts_in_future':
      return { kind, topic, payload: serialize(reading, reading.ts + FUTURE_SKEW_MS) }
    case 'ts_too_old':
      return { kind, topic, payload: serialize(reading, reading.ts - STALE_AGE_MS) }
    case 'ts_epoch_seconds':
      return { kind, topic, payload: serialize(reading, Math.floor(reading.ts / 1000)) }
    case 'oversized': {
      const body = JSON.parse(good) as Record<string, unknown>
      body.diagnostics = 'x'.repeat(OVERSIZED_BYTES)
      return { kind, topic, payload: JSON.stringify(body) }
    }
    case 'unknown_device':
      return { kind, topic: reading.device === 'env' ? topics.input('env', UNKNOWN_DEVICE_ID) : topics.input('camera', UNKNOWN_DEVICE_ID), payload: good }
    case 'fractional_count': {
      if (reading.device === 'camera') return { kind, topic, payload: withField(reading, (_, v) => Number(v) + 0.5) }
      if (cameraId === undefined) throw new Error('fractional_count needs a camera id when the reading is from a station')
      return { kind, topic: topics.input('camera', cameraId), payload: cameraPayload(reading.ts, 60, { person: 2.5 }) }
    }
  }
}

// The contract's builders only stringify, so they can carry a defective field: the casts say "trust me, it is bad".
function serialize(reading: GoodReading, ts: number, fields?: Record<string, unknown>): string {
  return reading.device === 'env'
    ? envPayload(ts, (fields ?? reading.values) as EnvValues)
    : cameraPayload(ts, reading.periodSec, (fields ?? reading.counts) as CameraCounts, reading.inside)
}

/** The reading with its first value (metric or count) replaced. */
function withField(reading: GoodReading, replace: (key: string, value: number) => unknown): string {
  const fields: Record<string, unknown> = { ...(reading.device === 'env' ? reading.values : reading.counts) }
  const first = Object.keys(fields)[0] ?? (reading.device === 'env' ? 'pm25' : 'person')
  fields[first] = replace(first, Number(fields[first] ?? 0))
  return serialize(reading, reading.ts, fields)
}

function withExtra(reading: GoodReading, key: string, value: number): string {
  return serialize(reading, reading.ts, { ...(reading.device === 'env' ? reading.values : reading.counts), [key]: value })
}

/** A negative reading, or for a metric that may be negative (temperature) one far above its physical range. */
function impossible(device: GoodReading['device'], key: string, value: number): number {
  if (device === 'camera') return -(Math.abs(value) + 3)
  const spec = (METRICS as Record<string, { min: number; max: number }>)[key]
  if (spec && spec.min < 0) return spec.max * 2 + 1
  return -(Math.abs(value) + 1)
}
