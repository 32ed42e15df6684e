// Real MQTT brokers for integration tests: the embedded Aedes (always) and, when TEST_MQTT_URL is set, that
// broker (Mosquitto in CI, with MQTT 5 and shared subscriptions). Each test uses its own topic root so
// tests sharing one Mosquitto never see each other's messages.
import mqtt, { type MqttClient } from 'mqtt'
import { createEmbeddedBroker, type UnstartedBroker } from '../../broker/embedded.ts'

export interface TestBroker {
  kind: 'embedded' | 'mosquitto'
  url: string
  version: 4 | 5
  /** The broker has shared subscriptions ($share/group/filter). */
  shared: boolean
  /** The embedded broker itself, for ingest to take messages at it as the all-in-one does. */
  embedded: UnstartedBroker | null
  close(): Promise<void>
}

export const TEST_MQTT_URL = process.env.TEST_MQTT_URL || null
export const BROKER_TARGETS: ('embedded' | 'mosquitto')[] = TEST_MQTT_URL ? ['embedded', 'mosquitto'] : ['embedded']

export async function openTestBroker(kind: 'embedded' | 'mosquitto'): Promise<TestBroker> {
  if (kind === 'mosquitto') {
    if (!TEST_MQTT_URL) throw new Error('TEST_MQTT_URL is not set')
    return { kind, url: TEST_MQTT_URL, version: 5, shared: true, embedded: null, close: async () => {} }
  }
  const b = await createEmbeddedBroker()
  const started = await b.listen(0, '127.0.0.1')
  return { kind, url: started.url, version: 4, shared: false, embedded: b, close: () => b.close() }
}

export function uniqueTopicRoot(): string {
  return `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}/ioc/v1`
}

export async function publisher(broker: TestBroker): Promise<MqttClient> {
  return mqtt.connectAsync(broker.url, { protocolVersion: broker.version, clientId: `test-pub-${Math.random().toString(36).slice(2, 10)}` })
}
