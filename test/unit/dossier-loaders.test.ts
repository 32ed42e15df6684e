// The dossier domain's reference loaders: the procedures catalogue and the working-day calendar overrides,
// one test per kind of row error, each naming its row and column.
import { describe, expect, it } from 'vitest'
import type { CalendarDay, Procedure } from '../../contract/index.ts'
import { formatCalendarCsv, formatProceduresCsv, parseCalendarCsv, parseProceduresCsv } from '../../db/loaders/index.ts'

const PROCEDURES_HEADER = 'code,name,field,legal_days,online_level,has_fee'
const proceduresCsv = (...rows: string[]) => [PROCEDURES_HEADER, ...rows].join('\n')
const GOOD = '1.001193,Đăng ký khai sinh,Hộ tịch,0.5,full,false'

describe('parseProceduresCsv', () => {
  it('reads procedures, half-day legal times and quoted names included', () => {
    const { procedures, errors } = parseProceduresCsv(proceduresCsv(GOOD, '2.000123,"Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II",Xây dựng,20,partial,true'))
    expect(errors).toEqual([])
    expect(procedures).toEqual([
      { code: '1.001193', name: 'Đăng ký khai sinh', field: 'Hộ tịch', legalDays: 0.5, onlineLevel: 'full', hasFee: false },
      { code: '2.000123', name: 'Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II', field: 'Xây dựng', legalDays: 20, onlineLevel: 'partial', hasFee: true },
    ])
  })

  it('reads both vocabularies of online levels, and an empty level or fee as none and false', () => {
    const { procedures, errors } = parseProceduresCsv(
      proceduresCsv('A1,a,f,1,Toàn trình,có', 'A2,a,f,1,một phần,không', 'A3,a,f,1,4,1', 'A4,a,f,1,3,0', 'A5,a,f,1,,', 'A6,a,f,1,Mức độ 2,yes'),
    )
    expect(errors).toEqual([])
    expect(procedures.map((p) => [p.onlineLevel, p.hasFee])).toEqual([
      ['full', true],
      ['partial', false],
      ['4', true],
      ['3', false],
      ['none', false],
      ['2', true],
    ])
  })

  it('accepts a file without the optional columns', () => {
    const { procedures, errors } = parseProceduresCsv('code,name,field,legal_days\nX.1,Thủ tục,Lĩnh vực,3')
    expect(errors).toEqual([])
    expect(procedures[0]).toMatchObject({ onlineLevel: 'none', hasFee: false })
  })

  const rejects = (row: string, field: string, message: string) => {
    const { procedures, errors } = parseProceduresCsv(proceduresCsv(GOOD, row))
    expect(procedures.map((p) => p.code)).toEqual(['1.001193'])
    expect(errors).toEqual([{ row: 3, field, message: expect.stringContaining(message) }])
  }

  it('rejects a missing code', () => rejects(',Tên,Lĩnh vực,1,full,false', 'code', 'is required'))
  it('rejects a code with spaces', () => rejects('1 001,Tên,Lĩnh vực,1,full,false', 'code', 'not a valid id'))
  it('rejects a missing name', () => rejects('1.002,,Lĩnh vực,1,full,false', 'name', 'is required'))
  it('rejects a missing field', () => rejects('1.002,Tên,,1,full,false', 'field', 'is required'))
  it('rejects legal days that are not a number', () => rejects('1.002,Tên,Lĩnh vực,ba,full,false', 'legal_days', "'ba' is not a number of working days"))
  it('rejects negative legal days', () => rejects('1.002,Tên,Lĩnh vực,-1,full,false', 'legal_days', 'between 0 and 365'))
  it('rejects legal days beyond a year', () => rejects('1.002,Tên,Lĩnh vực,400,full,false', 'legal_days', 'between 0 and 365'))
  it('rejects an unknown online level', () => rejects('1.002,Tên,Lĩnh vực,1,level5,false', 'online_level', "'level5' is not one of full, partial, none, 1, 2, 3, 4"))
  it('rejects a fee that is not true or false', () => rejects('1.002,Tên,Lĩnh vực,1,full,50000', 'has_fee', "'50000' is not true or false"))
  it('rejects a repeated code and names the first row', () => rejects('1.001193,Khác,Hộ tịch,1,full,false', 'code', "duplicate id '1.001193' (first on row 2)"))

  it('reports every bad column of a row, in column order', () => {
    const { errors } = parseProceduresCsv(proceduresCsv('1.002,,Lĩnh vực,x,bad,maybe'))
    expect(errors.map((e) => e.field)).toEqual(['name', 'legal_days', 'online_level', 'has_fee'])
  })

  it('rejects a header missing a required column', () => {
    expect(parseProceduresCsv('code,name,field\n1.1,a,b').errors).toEqual([{ row: 1, field: 'legal_days', message: "missing required column 'legal_days'" }])
  })

  it('rejects a misspelt column with a hint', () => {
    const { errors } = parseProceduresCsv('code,name,field,legal_days,online_levl\n1.1,a,b,1,full')
    expect(errors).toEqual([{ row: 1, field: 'online_levl', message: expect.stringContaining("did you mean 'online_level'") }])
  })

  it('round-trips what formatProceduresCsv writes', () => {
    const procedures: Procedure[] = [
      { code: '1.000077', name: 'Đăng ký khai sinh', field: 'Hộ tịch', legalDays: 0.5, onlineLevel: 'full', hasFee: false },
      { code: '2.001000', name: 'Thủ tục "đặc biệt", có dấu phẩy', field: 'Đất đai', legalDays: 30, onlineLevel: '3', hasFee: true },
    ]
    expect(parseProceduresCsv(formatProceduresCsv(procedures))).toEqual({ procedures, errors: [] })
  })
})

describe('parseCalendarCsv', () => {
  const calendarCsv = (...rows: string[]) => ['day,working,note', ...rows].join('\n')

  it('reads make-up working days and days off', () => {
    const { days, errors } = parseCalendarCsv(calendarCsv('2026-02-14,true,Làm bù', '2026-04-27,false,"Nghỉ bù Giỗ Tổ, Hùng Vương"', '2026-09-01,0,'))
    expect(errors).toEqual([])
    expect(days).toEqual([
      { day: '2026-02-14', working: true, note: 'Làm bù' },
      { day: '2026-04-27', working: false, note: 'Nghỉ bù Giỗ Tổ, Hùng Vương' },
      { day: '2026-09-01', working: false, note: '' },
    ])
  })

  it('accepts a file without notes', () => {
    expect(parseCalendarCsv('day,working\n2026-01-02,false').days).toEqual([{ day: '2026-01-02', working: false, note: '' }])
  })

  const rejects = (row: string, field: string, message: string) => {
    const { days, errors } = parseCalendarCsv(calendarCsv('2026-02-14,true,Làm bù', row))
    expect(days.map((d) => d.day)).toEqual(['2026-02-14'])
    expect(errors).toEqual([{ row: 3, field, message: expect.stringContaining(message) }])
  }

  it('rejects a date in another format', () => rejects('14/02/2026,true,', 'day', "'14/02/2026' is not a date written YYYY-MM-DD"))
  it('rejects a date that does not exist', () => rejects('2026-02-30,false,', 'day', "'2026-02-30' is not a date"))
  it('rejects a missing day', () => rejects(',false,x', 'day', 'is required'))
  it('rejects a working flag that is not true or false', () => rejects('2026-03-02,nghỉ,', 'working', "'nghỉ' is not true (a working day) or false (a day off)"))
  it('rejects a missing working flag', () => rejects('2026-03-02,,', 'working', 'is required'))
  it('rejects a repeated day and names the first row', () => rejects('2026-02-14,false,x', 'day', "repeated day '2026-02-14' (first on row 2)"))

  it('round-trips what formatCalendarCsv writes', () => {
    const days: CalendarDay[] = [
      { day: '2026-02-14', working: true, note: 'Làm bù' },
      { day: '2026-04-27', working: false, note: 'Nghỉ, bù' },
    ]
    expect(parseCalendarCsv(formatCalendarCsv(days))).toEqual({ days, errors: [] })
  })
})
