// The shape of the import graph: no import cycles anywhere in the source, and the layering rules of the domain
// layout (contract/ stands alone; shared/ code knows no domain; domains know no other domain; the client knows
// nothing of the server side). The walker reads every .ts and .svelte file (the <script> blocks of a .svelte)
// with the TypeScript parser, so imports inside comments and strings do not count, and resolves each static
// relative import to a file. The cycle finder and the rules are first checked on small synthetic graphs, so a
// clean result on the real tree means "nothing broke a rule", not "the checker cannot fail".
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SOURCE_DIRS = ['contract', 'core', 'db', 'ingest', 'server', 'simulator', 'broker', 'bin', 'client/src']
const SKIP_DIRS = new Set(['node_modules', 'dist'])
/** The layers organised by domain, and the domain folders each may have (contract/domains.ts registers the domains). */
const LAYERS = ['contract', 'ingest', 'server', 'client/src']
const DOMAINS = ['environment', 'cameras', 'dossiers']

/** One static relative import; paths are relative to the repository root, with '/'. */
interface Import {
  from: string
  specifier: string
  /** The file it resolves to, or null when none exists. */
  to: string | null
  /** `import type` / `export type`: no runtime edge, but still a dependency of the design. */
  typeOnly: boolean
}

// ---------------------------------------------------------------------------------------------------------
// Reading the tree

function sourceFiles(): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(rel)
      } else if (/\.(ts|svelte)$/.test(e.name)) out.push(rel)
    }
  }
  for (const d of SOURCE_DIRS) walk(d)
  return out.sort()
}

/** The TypeScript of a file: the whole of a .ts, the <script> blocks of a .svelte (HTML comments dropped first). */
function scriptsOf(file: string, text: string): string[] {
  if (!file.endsWith('.svelte')) return [text]
  const uncommented = text.replace(/<!--[\s\S]*?-->/g, '')
  return [...uncommented.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
}

/** Static imports and re-exports of one script: `import … from`, `import '…'`, `export … from`, `import x = require(…)`. */
function specifiersOf(script: string): { specifier: string; typeOnly: boolean }[] {
  const sf = ts.createSourceFile('x.ts', script, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const out: { specifier: string; typeOnly: boolean }[] = []
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)) {
      const c = s.importClause
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null
      // `import { type A, type B }` is as type-only as `import type { A, B }`
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)))
      out.push({ specifier: s.moduleSpecifier.text, typeOnly })
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) {
      out.push({ specifier: s.moduleSpecifier.text, typeOnly: s.isTypeOnly })
    } else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference) && ts.isStringLiteral(s.moduleReference.expression)) {
      out.push({ specifier: s.moduleReference.expression.text, typeOnly: s.isTypeOnly })
    }
  }
  return out
}

const isFile = (rel: string) => {
  try {
    return statSync(path.join(ROOT, rel)).isFile()
  } catch {
    return false
  }
}

/** The file a relative specifier names: as written, or with .ts / .svelte / /index.ts added (a Vite ?query dropped). */
function resolve(from: string, specifier: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier.replace(/\?.*$/, '')))
  const candidates = [base, `${base}.ts`, `${base}.svelte`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')]
  return candidates.find(isFile) ?? null
}

function readImports(): { files: string[]; imports: Import[] } {
  const files = sourceFiles()
  const imports: Import[] = []
  for (const from of files) {
    const text = readFileSync(path.join(ROOT, from), 'utf8')
    for (const script of scriptsOf(from, text))
      for (const { specifier, typeOnly } of specifiersOf(script)) {
        if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue // packages and node: builtins
        imports.push({ from, specifier, to: resolve(from, specifier), typeOnly })
      }
  }
  return { files, imports }
}

// ---------------------------------------------------------------------------------------------------------
// Cycles

/**
 * Every import cycle, each as a chain that starts and ends at the same file (a → b → a), rotated to start at
 * its smallest file and sorted, so the report is stable. For each edge that lies on some cycle (both ends in
 * one strongly connected component) it reports the shortest cycle through that edge: every offending import
 * shows up in at least one chain, without enumerating the possibly exponential set of all simple cycles.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const component = stronglyConnected(graph)
  const found = new Map<string, string[]>()
  for (const [u, targets] of graph) {
    for (const v of targets) {
      if (component.get(u) !== component.get(v)) continue
      const back = shortestPath(graph, v, u, (n) => component.get(n) === component.get(u))
      if (!back) continue
      const cycle = canonical([u, ...back])
      found.set(cycle.join('\0'), cycle)
    }
  }
  return [...found.values()].sort((a, b) => a.join('\0').localeCompare(b.join('\0')))
}

/** Tarjan's algorithm: node → component number. */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  let index = 0
  let components = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const component = new Map<string, number>()
  const visit = (n: string) => {
    idx.set(n, index)
    low.set(n, index++)
    stack.push(n)
    onStack.add(n)
    for (const m of graph.get(n) ?? []) {
      if (!idx.has(m)) {
        visit(m)
        low.set(n, Math.min(low.get(n)!, low.get(m)!))
      } else if (onStack.has(m)) low.set(n, Math.min(low.get(n)!, idx.get(m)!))
    }
    if (low.get(n) === idx.get(n)) {
      let m: string
      do {
        m = stack.pop()!
        onStack.delete(m)
        component.set(m, components)
      } while (m !== n)
      components++
    }
  }
  const nodes = new Set([...graph.keys(), ...[...graph.values()].flat()])
  for (const n of [...nodes].sort()) if (!idx.has(n)) visit(n)
  return component
}

/** Breadth-first path from `start` to `goal` (both included) through nodes `inside` accepts, or null. */
function shortestPath(graph: ReadonlyMap<string, readonly string[]>, start: string, goal: string, inside: (n: string) => boolean): string[] | null {
  const previous = new Map<string, string | null>([[start, null]])
  const queue = [start]
  while (queue.length) {
    const n = queue.shift()!
    if (n === goal) {
      const path: string[] = []
      for (let at: string | null = n; at !== null; at = previous.get(at)!) path.unshift(at)
      return path
    }
    for (const m of graph.get(n) ?? []) {
      if (previous.has(m) || !inside(m)) continue
      previous.set(m, n)
      queue.push(m)
    }
  }
  return null
}

/** [b, c, a, b] → [a, b, c, a]: the same cycle always reads the same. */
function canonical(cycle: string[]): string[] {
  const ring = cycle.slice(0, -1)
  const start = ring.indexOf([...ring].sort()[0]!)
  const rotated = [...ring.slice(start), ...ring.slice(0, start)]
  return [...rotated, rotated[0]!]
}

const chain = (cycle: string[]) => cycle.join(' → ')

function graphOf(files: readonly string[], imports: readonly Import[]): Map<string, string[]> {
  const graph = new Map<string, string[]>(files.map((f) => [f, []]))
  for (const i of imports) if (i.to && graph.has(i.to) && !graph.get(i.from)!.includes(i.to)) graph.get(i.from)!.push(i.to)
  for (const targets of graph.values()) targets.sort()
  return graph
}

// ---------------------------------------------------------------------------------------------------------
// Layering

interface Rule {
  name: string
  /** Why the import from `from` to `to` breaks the rule, or null when it does not. */
  broken(from: string, to: string): string | null
}

const under = (file: string, dir: string) => file.startsWith(`${dir}/`)
/** The layer and domain of a file in a domain folder (server/environment/x.ts → server, environment), or null. */
function domainOf(file: string): { layer: string; domain: string } | null {
  for (const layer of LAYERS) for (const domain of DOMAINS) if (under(file, `${layer}/${domain}`)) return { layer, domain }
  return null
}

const RULES: Rule[] = [
  {
    name: 'contract/ imports only from contract/',
    broken: (from, to) => (under(from, 'contract') && !under(to, 'contract') ? 'the contract is what every part imports; it depends on none of them' : null),
  },
  {
    name: 'shared/ code imports no domain folder of its layer',
    broken: (from, to) => {
      const shared = /^(.*)\/shared\//.exec(from)
      if (!shared) return null
      const domain = DOMAINS.find((d) => under(to, `${shared[1]}/${d}`))
      return domain ? `shared code must work for every domain; ${domain}/ plugs into it through the registry` : null
    },
  },
  {
    // across layers too: server/environment/ reaching into contract/cameras/ couples the domains just the same
    name: 'a domain folder imports no other domain folder',
    broken: (from, to) => {
      const a = domainOf(from)
      const b = domainOf(to)
      return a && b && a.domain !== b.domain ? `domains are independent: ${a.layer}/${a.domain}/ reaches into ${b.layer}/${b.domain}/` : null
    },
  },
  {
    name: 'client/src imports nothing from server/, ingest/, db/ or core/',
    broken: (from, to) => {
      if (!under(from, 'client/src')) return null
      const side = ['server', 'ingest', 'db', 'core'].find((d) => under(to, d))
      return side ? `the browser bundle must not pull in ${side}/ (Node-only, and not part of the contract)` : null
    },
  },
]

/** Every import that breaks `rule`, as "file → specifier (resolved file): why". */
function violations(rule: Rule, imports: readonly Import[]): string[] {
  const out: string[] = []
  for (const i of imports) {
    if (!i.to) continue
    const why = rule.broken(i.from, i.to)
    if (why) out.push(`${i.from} → ${i.specifier}${i.to !== i.specifier ? ` (${i.to})` : ''}${i.typeOnly ? ' [type-only]' : ''}: ${why}`)
  }
  return out
}

const edge = (from: string, to: string): Import => ({ from, specifier: to, to, typeOnly: false })
const ruleNamed = (name: string) => RULES.find((r) => r.name.startsWith(name))!

// ---------------------------------------------------------------------------------------------------------

describe('findCycles', () => {
  const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges))

  it('reports a three-file cycle as one readable chain', () => {
    const cycles = findCycles(graph({ 'b.ts': ['c.ts'], 'a.ts': ['b.ts'], 'c.ts': ['a.ts'], 'd.ts': ['a.ts'] }))
    expect(cycles.map(chain)).toEqual(['a.ts → b.ts → c.ts → a.ts'])
  })

  it('reports nothing for a graph without cycles, shared dependencies included', () => {
    expect(findCycles(graph({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toEqual([])
  })

  it('reports a file that imports itself', () => {
    expect(findCycles(graph({ a: ['a', 'b'], b: [] })).map(chain)).toEqual(['a → a'])
  })

  it('reports every cycle of a tangle, not just the first one found', () => {
    // a ⇄ b, and a → c → b → a through the same files
    const cycles = findCycles(graph({ a: ['b', 'c'], b: ['a'], c: ['b'] })).map(chain)
    expect(cycles).toEqual(['a → b → a', 'a → c → b → a'])
  })

  it('reports separate cycles separately', () => {
    const cycles = findCycles(graph({ a: ['b'], b: ['a'], x: ['y'], y: ['z'], z: ['x'] })).map(chain)
    expect(cycles).toEqual(['a → b → a', 'x → y → z → x'])
  })
})

describe('the layering rules', () => {
  it('catch contract code importing from outside contract/', () => {
    expect(violations(ruleNamed('contract/'), [edge('contract/shared/geo.ts', 'core/log.ts'), edge('contract/index.ts', 'contract/shared/geo.ts')])).toEqual([
      expect.stringMatching(/^contract\/shared\/geo\.ts → core\/log\.ts: /),
    ])
  })

  it('catch shared code importing a domain folder of its own layer, in every layer', () => {
    const found = violations(ruleNamed('shared/'), [
      edge('server/shared/wall.ts', 'server/environment/state.ts'),
      edge('client/src/shared/components/KpiTile.svelte', 'client/src/cameras/kpis.ts'),
      edge('contract/shared/live.ts', 'contract/environment/live.ts'),
      edge('ingest/shared/writer.ts', 'ingest/cameras/index.ts'),
      // shared code importing shared code, or the contract, is what it is for
      edge('server/shared/wall.ts', 'server/shared/http.ts'),
      edge('server/shared/wall.ts', 'contract/index.ts'),
    ])
    expect(found.map((v) => v.split(':')[0])).toEqual([
      'server/shared/wall.ts → server/environment/state.ts',
      'client/src/shared/components/KpiTile.svelte → client/src/cameras/kpis.ts',
      'contract/shared/live.ts → contract/environment/live.ts',
      'ingest/shared/writer.ts → ingest/cameras/index.ts',
    ])
  })

  it('let the registries, which are not under shared/, import every domain', () => {
    const registries = ['contract/domains.ts', 'contract/events.ts', 'contract/routes.ts', 'contract/dashboard.ts', 'ingest/domains.ts', 'server/domains.ts', 'client/src/domains.ts']
    const imports = registries.flatMap((r) => DOMAINS.map((d) => edge(r, `${r.slice(0, r.lastIndexOf('/'))}/${d}/index.ts`)))
    for (const rule of RULES) expect(violations(rule, imports)).toEqual([])
  })

  it('catch one domain folder importing another, in its layer or another', () => {
    const found = violations(ruleNamed('a domain folder'), [
      edge('server/environment/service.ts', 'server/cameras/state.ts'),
      edge('client/src/cameras/kpis.ts', 'contract/environment/aqi.ts'),
      // its own folder, shared code and the contract's barrel are fine
      edge('server/environment/service.ts', 'server/environment/state.ts'),
      edge('server/environment/service.ts', 'server/shared/http.ts'),
      edge('client/src/environment/kpis.ts', 'contract/environment/aqi.ts'),
    ])
    expect(found.map((v) => v.split(':')[0])).toEqual(['server/environment/service.ts → server/cameras/state.ts', 'client/src/cameras/kpis.ts → contract/environment/aqi.ts'])
  })

  it('catch client code importing the server side', () => {
    const found = violations(ruleNamed('client/src'), [
      edge('client/src/App.svelte', 'server/shared/http.ts'),
      edge('client/src/shared/api.ts', 'ingest/shared/entries.ts'),
      edge('client/src/shared/live.svelte.ts', 'db/database.ts'),
      edge('client/src/main.ts', 'core/log.ts'),
      edge('client/src/main.ts', 'contract/index.ts'),
      edge('server/main.ts', 'core/log.ts'),
    ])
    expect(found.map((v) => v.split(':')[0])).toEqual([
      'client/src/App.svelte → server/shared/http.ts',
      'client/src/shared/api.ts → ingest/shared/entries.ts',
      'client/src/shared/live.svelte.ts → db/database.ts',
      'client/src/main.ts → core/log.ts',
    ])
  })
})

describe('the source tree', () => {
  const { files, imports } = readImports()

  it('is read whole: every source folder, and the imports of .svelte scripts', () => {
    // guards the checks below against passing because the walker found nothing
    for (const dir of SOURCE_DIRS) expect(files.some((f) => under(f, dir)), `no .ts/.svelte file found under ${dir}/`).toBe(true)
    expect(imports.some((i) => i.from.endsWith('.svelte') && i.to?.endsWith('.svelte'))).toBe(true)
    expect(imports.some((i) => i.from.endsWith('.svelte') && i.to?.endsWith('.ts'))).toBe(true)
  })

  it('has every relative import resolve to a file', () => {
    // an import the walker cannot follow would hide the cycles and violations through it
    expect(imports.filter((i) => !i.to).map((i) => `${i.from} → ${i.specifier}`)).toEqual([])
  })

  it('has no import cycles', () => {
    expect(findCycles(graphOf(files, imports)).map(chain)).toEqual([])
  })

  it('keeps contract/ free of imports from outside contract/', () => {
    expect(violations(ruleNamed('contract/'), imports)).toEqual([])
  })

  it('keeps shared/ code free of imports from the domain folders of its layer', () => {
    expect(violations(ruleNamed('shared/'), imports)).toEqual([])
  })

  it('keeps each domain folder free of imports from another domain folder', () => {
    expect(violations(ruleNamed('a domain folder'), imports)).toEqual([])
  })

  it('keeps client/src free of imports from server/, ingest/, db/ and core/', () => {
    expect(violations(ruleNamed('client/src'), imports)).toEqual([])
  })
})
