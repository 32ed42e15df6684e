// The domains the wall shows. Adding a domain adds its line here; everything it draws lives in its folder.
import { camerasWall } from './cameras/index.ts'
import { dossiersWall } from './dossiers/index.ts'
import { environmentWall } from './environment/index.ts'
import { reportsWall } from './reports/wall.ts'
import type { WallDomain } from './shared/domain.ts'

export const WALL_DOMAINS: readonly WallDomain[] = [environmentWall, camerasWall, dossiersWall, reportsWall]
