// Turns one MQTT message into one batch entry: the domain's item to store and, when something in it was bad,
// one dead letter saying what (a partly bad message yields both). Pure: the clock, limits and the lookup of
// domains and known ids are parameters.
import type { DeadLetterCode, IngestLimits, InputTopic, Problem } from '../../contract/index.ts'
import type { IngestDomain } from './domain.ts'

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
  /** The topic the message came on (dead letters of parts of it refused at write time name it). */
  topic: string
  /** The domain the message's topic belongs to, with what it parsed (null when nothing could be stored). */
  domain: IngestDomain | null
  item: unknown | null
  dead: DeadLetter | null
  /** Database rows this entry writes (the item's rows + the dead letter). */
  rows: number
}

/** Which domain each input segment belongs to, and which of its ids exist. */
export interface Routing {
  domain(segment: string): IngestDomain | undefined
  knows(domain: IngestDomain, id: string): boolean
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
    code: problems[0]!.code as DeadLetterCode,
    reason: storableText(problems.map((p) => p.message).join('; ')),
    payload: payloadExcerpt(payload),
    payloadBytes: payload.byteLength,
    accepted,
  }
}

/** `input` is the topic as `TopicMap.parse` read it (ingest parses each topic once). */
export function toEntry(topic: string, input: InputTopic, payload: Uint8Array, routing: Routing, now: number, limits: IngestLimits): Entry {
  const dead = (problems: Problem[], accepted: number) => deadLetter(topic, payload, problems, accepted)
  if ('reason' in input) return { topic, domain: null, item: null, dead: dead([{ code: 'unknown_topic', message: input.reason }], 0), rows: 1 }
  const domain = routing.domain(input.kind)
  if (!domain) return { topic, domain: null, item: null, dead: dead([{ code: 'unknown_topic', message: `no feed takes ${input.kind}/` }], 0), rows: 1 }
  if (!routing.knows(domain, input.id)) {
    return { topic, domain: null, item: null, dead: dead([{ code: domain.unknown.code, message: domain.unknown.message(input.id) }], 0), rows: 1 }
  }
  const parsed = domain.parse(input.id, payload, now, limits)
  const size = parsed.value ? domain.size(parsed.value) : { stored: 0, rows: 0 }
  const letter = parsed.problems.length ? dead(parsed.problems, size.stored) : null
  return { topic, domain: parsed.value ? domain : null, item: parsed.value, dead: letter, rows: size.rows + (letter ? 1 : 0) }
}

/**
 * toEntry that cannot throw: should handling a message ever fail (a bug), the message becomes an
 * internal_error dead letter carrying the error, so it is stored and acknowledged once instead of crashing
 * ingest and coming back from the broker at every restart.
 */
export function safeEntry(topic: string, input: InputTopic, payload: Uint8Array, routing: Routing, now: number, limits: IngestLimits): { entry: Entry; error: unknown } {
  try {
    return { entry: toEntry(topic, input, payload, routing, now, limits), error: null }
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    const dead = deadLetter(topic, payload, [{ code: 'internal_error', message: `handling failed: ${message.slice(0, 500)}` }], 0)
    return { entry: { topic, domain: null, item: null, dead, rows: 1 }, error: err }
  }
}
