// Exports of the leader screens' tables: the same columns as the screen, in Vietnamese, as CSV (UTF-8 with a
// byte-order mark, so Excel opens Vietnamese text right) or XLSX (exceljs: typed numbers, percentages
// formatted, a frozen header row). A leader takes them into the monthly meeting's slides.
import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import type { DossierListRow, IndicatorValue, ProcedureRow, RankingRow, TrendPoint } from '../../contract/index.ts'
import { FileResponse } from '../shared/http.ts'

export interface Column<T> {
  header: string
  value: (row: T) => string | number | null
  /** 'percent': a 0–1 ratio shown as a percentage; 'date': an ISO instant shown as a Vietnam date and time. */
  format?: 'percent' | 'date'
  width?: number
}

const vnTime = (iso: string | null) => (iso === null ? null : new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '))

/** Receipts and judgements, the same columns wherever a table counts dossiers. */
interface Counts {
  received: number
  online: number
  done: number
  early: number
  onTime: number
  late: number
}
function countColumns<T extends Counts>(): Column<T>[] {
  return [
    { header: 'Tiếp nhận', value: (r) => r.received },
    { header: 'Trực tuyến', value: (r) => r.online },
    { header: 'Đã giải quyết', value: (r) => r.done },
    { header: 'Trước hạn', value: (r) => r.early },
    { header: 'Đúng hạn', value: (r) => r.onTime },
    { header: 'Trễ hạn', value: (r) => r.late },
  ]
}

export const RANKING_COLUMNS: Column<RankingRow>[] = [
  { header: 'Hạng', value: (r) => r.rank, width: 6 },
  { header: 'Đơn vị', value: (r) => r.unit.name, width: 40 },
  ...countColumns(),
  { header: 'Đang giải quyết', value: (r) => r.inProgress },
  { header: 'Quá hạn', value: (r) => r.overdue },
  { header: 'Tỷ lệ đúng hạn', value: (r) => r.onTimeRate, format: 'percent' },
  { header: 'Tỷ lệ trực tuyến', value: (r) => r.onlineRate, format: 'percent' },
  { header: 'Điểm 766 (đo được)', value: (r) => r.score766 },
  { header: 'Điểm tối đa đo được', value: (r) => r.measuredMax },
]

export const PROCEDURE_COLUMNS: Column<ProcedureRow>[] = [
  { header: 'Mã thủ tục', value: (r) => r.code, width: 12 },
  { header: 'Tên thủ tục', value: (r) => r.name, width: 60 },
  { header: 'Lĩnh vực', value: (r) => r.field, width: 24 },
  { header: 'Thời hạn (ngày làm việc)', value: (r) => r.legalDays },
  ...countColumns(),
  { header: 'Đang giải quyết', value: (r) => r.inProgress },
  { header: 'Quá hạn', value: (r) => r.overdue },
  { header: 'Tỷ lệ đúng hạn', value: (r) => r.onTimeRate, format: 'percent' },
]

export const TREND_COLUMNS: Column<TrendPoint>[] = [
  { header: 'Tháng', value: (r) => r.month, width: 10 },
  ...countColumns(),
  { header: 'Tỷ lệ đúng hạn', value: (r) => r.onTimeRate, format: 'percent' },
  { header: 'Tỷ lệ trực tuyến', value: (r) => r.onlineRate, format: 'percent' },
]

export const INDEX_COLUMNS: Column<IndicatorValue & { group: string }>[] = [
  { header: 'Nhóm', value: (r) => r.group, width: 24 },
  { header: 'Chỉ tiêu', value: (r) => r.code, width: 8 },
  { header: 'Nội dung', value: (r) => r.vi, width: 50 },
  { header: 'Tử số', value: (r) => r.numerator },
  { header: 'Mẫu số', value: (r) => r.denominator },
  { header: 'Tỷ lệ', value: (r) => (r.measured ? r.ratio : null), format: 'percent' },
  { header: 'Mục tiêu', value: (r) => r.target, format: 'percent' },
  { header: 'Điểm', value: (r) => (r.points === null ? null : Math.round(r.points * 100) / 100) },
  { header: 'Điểm tối đa', value: (r) => r.max },
  { header: 'Ghi chú', value: (r) => (r.measured ? '' : 'không đo được từ sự kiện hồ sơ'), width: 30 },
]

const JUDGEMENT_VI = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Trễ hạn' } as const

export const LIST_COLUMNS: Column<DossierListRow>[] = [
  { header: 'Mã hồ sơ', value: (r) => r.id, width: 28 },
  { header: 'Đơn vị', value: (r) => r.unitName ?? r.unitId, width: 32 },
  { header: 'Mã thủ tục', value: (r) => r.procedureCode, width: 12 },
  { header: 'Tên thủ tục', value: (r) => r.procedureName, width: 50 },
  { header: 'Kênh', value: (r) => (r.channel === 'online' ? 'Trực tuyến' : r.channel === 'post' ? 'Bưu chính' : 'Trực tiếp') },
  { header: 'Tiếp nhận lúc', value: (r) => vnTime(r.receivedAt), width: 18 },
  { header: 'Hạn trả', value: (r) => vnTime(r.dueAt), width: 18 },
  { header: 'Kết thúc lúc', value: (r) => vnTime(r.endAt), width: 18 },
  { header: 'Tình trạng', value: (r) => (r.status === 'done' ? `Đã giải quyết – ${JUDGEMENT_VI[r.judgement ?? 'on_time']}` : r.overdue ? 'Quá hạn' : r.dueSoon ? 'Sắp đến hạn' : 'Trong hạn'), width: 24 },
  { header: 'Số ngày trễ', value: (r) => r.daysLate },
]

export function toCsv<T>(name: string, columns: readonly Column<T>[], rows: readonly T[]): FileResponse {
  const body = stringify([columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => csvValue(c, r)))])
  return new FileResponse('text/csv; charset=utf-8', `${name}.csv`, `\uFEFF${body}`)
}

function csvValue<T>(c: Column<T>, r: T): string | number {
  const v = c.value(r)
  if (v === null) return ''
  if (c.format === 'percent' && typeof v === 'number') return (Math.round(v * 1000) / 10).toFixed(1)
  return v
}

export async function toXlsx<T>(name: string, title: string, columns: readonly Column<T>[], rows: readonly T[]): Promise<FileResponse> {
  const book = new ExcelJS.Workbook()
  book.creator = 'IOC'
  const sheet = book.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
  sheet.addRow([title]).font = { bold: true, size: 13 }
  const header = sheet.addRow(columns.map((c) => c.header))
  header.font = { bold: true }
  header.alignment = { wrapText: true, vertical: 'middle' }
  for (const r of rows) sheet.addRow(columns.map((c) => c.value(r)))
  columns.forEach((c, i) => {
    const col = sheet.getColumn(i + 1)
    col.width = c.width ?? 14
    if (c.format === 'percent') col.numFmt = '0.0%'
  })
  const buffer = Buffer.from(await book.xlsx.writeBuffer())
  return new FileResponse('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `${name}.xlsx`, buffer)
}
