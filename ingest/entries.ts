// Turns one MQTT message into one batch entry: the readings to store and, when something in it was bad,
// one dead letter saying what (a partly bad message yields both). Pure: the clock, limits and the lookup
// of known devices are parameters.
import {
  parseCameraPayload,
  parseEnvPayload,
  type CameraCount,
  type DeadLetterCode,
  type EnvReading,
  type IngestLimits,
  type Problem,
  type DeviceTopic,
} from '../contract/index.ts'

export const DEAD_LETTER_PAYLOAD_CHARS = 2048

export interface DeadLetter {
  topic: string
  code: DeadLetterCode
  reason: string
  payload: string
  payloadBytes: number
  /** Values of the same message that were stored. */
  accepted: number
}

export interface Entry {
  env: EnvReading | null
  camera: CameraCount | null
  dead: DeadLetter | null
  /** Database rows this entry writes (readings + camera row + dead letter). */
  rows: number
}

export interface KnownDevices {
  hasStation(id: string): boolean
  hasCamera(id: string): boolean
}

const lossyUtf8 = new TextDecoder('utf-8', { fatal: false })

/** Text PostgreSQL can store: it refuses NUL characters, which a topic or payload may carry (Aedes passes them). */
export function storableText(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s
}

/** Payload text for a dead letter: truncated, and without NUL characters. */
export function payloadExcerpt(payload: Uint8Array): string {
  const head = payload.subarray(0, DEAD_LETTER_PAYLOAD_CHARS * 4)
  const text = storableText(lossyUtf8.decode(head))
  return text.length > DEAD_LETTER_PAYLOAD_CHARS ? `${text.slice(0, DEAD_LETTER_PAYLOAD_CHARS)}…` : text
}

function deadLetter(topic: string, payload: Uint8Array, problems: Problem[], accepted: number): DeadLetter {
  return {
    topic: storableText(topic),
    code: problems[0]!.code,
    reason: storableText(problems.map((p) => p.message).join('; ')),
    payload: payloadExcerpt(payload),
    payloadBytes: payload.byteLength,
    accepted,
  }
}

/** `device` is the topic as `TopicMap.parse` read it (ingest parses each topic once). */
export function toEntry(topic: string, device: DeviceTopic, payload: Uint8Array, known: KnownDevices, now: number, limits: IngestLimits): Entry {
  if (device.kind === 'unknown') {
    return { env: null, camera: null, dead: deadLetter(topic, payload, [{ code: 'unknown_topic', message: device.reason }], 0), rows: 1 }
  }
  if (device.kind === 'env') {
    if (!known.hasStation(device.id)) {
      const problem: Problem = { code: 'unknown_station', message: `station '${device.id}' is not in the reference data (load it with npm run db:load -- stations)` }
      return { env: null, camera: null, dead: deadLetter(topic, payload, [problem], 0), rows: 1 }
    }
    const parsed = parseEnvPayload(device.id, payload, now, limits)
    const stored = parsed.value ? Object.keys(parsed.value.values).length : 0
    const dead = parsed.problems.length ? deadLetter(topic, payload, parsed.problems, stored) : null
    return { env: parsed.value, camera: null, dead, rows: stored + (dead ? 1 : 0) }
  }
  if (!known.hasCamera(device.id)) {
    const problem: Problem = { code: 'unknown_camera', message: `camera '${device.id}' is not in the reference data (load it with npm run db:load -- cameras)` }
    return { env: null, camera: null, dead: deadLetter(topic, payload, [problem], 0), rows: 1 }
  }
  const parsed = parseCameraPayload(device.id, payload, now, limits)
  const stored = parsed.value ? Object.keys(parsed.value.counts).length + (parsed.value.inside === null ? 0 : 1) : 0
  const dead = parsed.problems.length ? deadLetter(topic, payload, parsed.problems, stored) : null
  return { env: null, camera: parsed.value, dead, rows: (parsed.value ? 1 : 0) + (dead ? 1 : 0) }
}

/**
 * toEntry that cannot throw: should handling a message ever fail (a bug), the message becomes an
 * internal_error dead letter carrying the error, so it is stored and acknowledged once instead of crashing
 * ingest and coming back from the broker at every restart.
 */
export function safeEntry(topic: string, device: DeviceTopic, payload: Uint8Array, known: KnownDevices, now: number, limits: IngestLimits): { entry: Entry; error: unknown } {
  try {
    return { entry: toEntry(topic, device, payload, known, now, limits), error: null }
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    const dead = deadLetter(topic, payload, [{ code: 'internal_error', message: `handling failed: ${message.slice(0, 500)}` }], 0)
    return { entry: { env: null, camera: null, dead, rows: 1 }, error: err }
  }
}
