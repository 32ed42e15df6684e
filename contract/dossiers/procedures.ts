// The procedures catalogue (thủ tục hành chính): what a dossier is an application for, its legal processing
// time and how far it can be done online. `npm run db:load -- procedures file.csv` loads a province's list.

/** Decree 42/2022: 'full' (toàn trình) or 'partial' (một phần); before 2022, levels '1'–'4' (3: submit online, 4: also pay and receive online). */
export const ONLINE_LEVELS = ['full', 'partial', 'none', '1', '2', '3', '4'] as const
export type OnlineLevel = (typeof ONLINE_LEVELS)[number]

export interface Procedure {
  /** National procedure code, e.g. 1.004227. */
  code: string
  name: string
  /** Field (lĩnh vực), e.g. "Xây dựng", "Đất đai". */
  field: string
  /** Legal processing time in working days (0.5 = half a day). */
  legalDays: number
  onlineLevel: OnlineLevel
  hasFee: boolean
}

/** Whether a procedure offers an online service in the sense of Decision 766 indicator 3.1 (partial/full, or legacy level 3–4). */
export function isOnlineService(level: OnlineLevel): boolean {
  return level === 'full' || level === 'partial' || level === '3' || level === '4'
}

/** GET /api/procedures */
export interface ProceduresResponse {
  procedures: Procedure[]
}
