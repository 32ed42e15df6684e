// The embedded MQTT broker (Aedes, MQTT 3.1.1, no shared subscriptions) used when MQTT_URL is unset.
// Sessions live in memory: fine for a single all-in-one process, which would lose its ingest state with
// the broker anyway. Production uses Mosquitto (see docker-compose.yml).
import { createServer, type AddressInfo, type Server } from 'node:net'
import { Aedes } from 'aedes'
import { createLogger } from '../core/log.ts'

const log = createLogger('broker')

export interface EmbeddedBroker {
  url: string
  port: number
  close(): Promise<void>
}

export class BrokerPortInUseError extends Error {}

export async function startEmbeddedBroker(port: number, host = '0.0.0.0'): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker()
  aedes.on('clientError', (client, err) => log.debug(`client ${client?.id} error: ${err.message}`))
  const server: Server = createServer(aedes.handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new BrokerPortInUseError(
            `MQTT_PORT ${port} is already in use, probably by another MQTT broker (Mosquitto?). ` +
              `To use that broker set MQTT_URL=mqtt://127.0.0.1:${port}; to run the embedded broker elsewhere set MQTT_PORT to a free port.`,
          ),
        )
      } else reject(err)
    })
    server.listen(port, host, resolve)
  })
  const actual = (server.address() as AddressInfo).port
  log.info(`embedded MQTT broker (Aedes, MQTT 3.1.1) listening on port ${actual}`)
  return {
    url: `mqtt://127.0.0.1:${actual}`,
    port: actual,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
