// The README is the integrator's manual: its configuration table must list every variable the code reads,
// with the documented default, and the scripts it tells people to run must exist.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONFIG_VARIABLES } from '../../core/config.ts'
import { DEAD_LETTER_CODES, METRIC_KEYS } from '../../contract/index.ts'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const scripts = Object.keys(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts as Record<string, string>)
const tableRow = (name: string) => readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`))

describe('README', () => {
  it.each(Object.keys(CONFIG_VARIABLES))('documents %s in the configuration table', (name) => {
    expect(tableRow(name), `no row for ${name}`).toBeDefined()
  })

  it('documents no variable the code does not read', () => {
    const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1])
    expect(documented.filter((v) => !(v! in CONFIG_VARIABLES))).toEqual([])
  })

  it.each(Object.entries(CONFIG_VARIABLES).filter(([, v]) => /^[\w.]+$/.test(v.default)))('gives %s its real default', (name, v) => {
    expect(tableRow(name)).toContain(`\`${v.default}\``)
  })

  it('lists every metric of the catalogue and every dead-letter reason', () => {
    for (const m of METRIC_KEYS) expect(readme, m).toContain(`| \`${m}\` |`)
    for (const c of DEAD_LETTER_CODES) expect(readme, c).toContain(`\`${c}\``)
  })

  it('only tells people to run scripts that exist', () => {
    const used = [...readme.matchAll(/npm run ([\w:]+)/g)].map((m) => m[1]!)
    expect(used.length).toBeGreaterThan(3)
    for (const s of used) expect(scripts, s).toContain(s)
    expect(readme).toContain('npm ci && npm start')
    expect(readme).toContain('npm test')
  })
})
