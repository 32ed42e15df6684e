// The wall definition through the running server: GET /api/wall serves the dashboards of DASHBOARDS_DIR and
// MAP_STYLE_URL, and an edit of a file reaches every connected wall as one `wall:changed` event.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClientToServerEvents, ServerToClientEvents, WallDefinition } from '../../contract/index.ts'
import { closeStack, openStack, type StackTarget } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'

const dashboard = (title: string, w = 12) => `title: ${title}
screens:
  - id: overview
    title: Tổng quan
    grid: { columns: 12, rows: 8 }
    widgets:
      - { type: map, at: { x: 1, y: 1, w: ${w}, h: 8 } }
`

describe('the wall definition on the server', () => {
  let dir: string
  let target: StackTarget
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>
  const changes: WallDefinition[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-wall-'))
    await writeFile(join(dir, 'operations.yaml'), dashboard('Vận hành'))
    target = await openStack({ db: 'embedded', broker: 'embedded' }, { DASHBOARDS_DIR: dir, MAP_STYLE_URL: 'https://tiles.example.vn/style.json' })
    socket = connectSocket(target.stack.server.url, { transports: ['websocket'], auth: { token: target.stack.apiKey } })
    socket.on('wall:changed', (w) => changes.push(w))
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  })

  afterAll(async () => {
    socket?.close()
    await closeStack(target ?? {})
    await rm(dir, { recursive: true, force: true })
  })

  const wall = async () => (await (await target.stack.api(`/api/wall`)).json()) as WallDefinition

  it('serves the dashboards of DASHBOARDS_DIR and the map style at GET /api/wall', async () => {
    const w = await wall()
    expect(w).toMatchObject({ mapStyleUrl: 'https://tiles.example.vn/style.json', problems: [] })
    expect(w.dashboards.map((d) => [d.id, d.title])).toEqual([['operations', 'Vận hành']])
    expect(Date.parse(w.at)).not.toBeNaN()
  })

  it('sends wall:changed with the problem when a file breaks, and GET /api/wall agrees', async () => {
    await writeFile(join(dir, 'operations.yaml'), dashboard('Vận hành', 13))
    const changed = await waitFor(() => changes.at(-1), (w) => (w?.problems.length ?? 0) > 0, 'wall:changed with the problem')
    expect(changed!.problems).toEqual([expect.objectContaining({ file: 'operations.yaml', path: 'screens[0].widgets[0].at.w', keptPrevious: true })])
    expect(changed!.dashboards.map((d) => d.id)).toEqual(['operations'])
    expect(await wall()).toEqual(changed)
  })
})
