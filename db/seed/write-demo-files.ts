// Regenerates the committed demo-province files: node --import tsx db/seed/write-demo-files.ts
// test/unit/demo-province.test.ts fails when the files and the generator disagree.

import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEMO_DIR, DEMO_FILES, formatDemoFiles } from './demo-files.ts'
import { generateDemoProvince } from './generate.ts'

const demo = generateDemoProvince()
const files = formatDemoFiles(demo)
for (const key of Object.keys(DEMO_FILES) as (keyof typeof DEMO_FILES)[]) {
  await writeFile(join(DEMO_DIR, DEMO_FILES[key]), files[key])
}
console.log(`wrote ${demo.units.length} units, ${demo.stations.length} stations, ${demo.cameras.length} cameras and ${demo.procedures.length} procedures to ${DEMO_DIR}`)
