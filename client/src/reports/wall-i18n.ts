// The words of the wall's report widgets, in Vietnamese (default) and English (see shared/i18n.ts).
import { WALL_WORDS, translator } from '../shared/i18n.ts'

export const tw = translator({
  ...WALL_WORDS,
  wallReportsToday: { vi: 'Phản ánh hôm nay', en: 'Reports today' },
  wallReportsOpen: { vi: 'Đang xử lý', en: 'Open' },
  wallReportsOpenSub: { vi: 'chưa có kết quả', en: 'not yet answered' },
  wallReportsDueSoon: { vi: 'Sắp đến hạn', en: 'Due soon' },
  wallReportsOverdue: { vi: 'Quá hạn', en: 'Overdue' },
  wallReportsOverdueSub: { vi: 'quá hạn tiếp nhận hoặc xử lý', en: 'past the accept or resolve deadline' },
  wallReportsAgenciesTitle: { vi: 'Phản ánh quá hạn theo cơ quan', en: 'Overdue reports by agency' },
  wallReportsNone: { vi: 'Không có phản ánh đang xử lý', en: 'No open reports' },
  wallReportsAgencyOpen: { vi: '{n} đang xử lý', en: '{n} open' },
  wallReportsLoadFailed: { vi: 'Không tải được', en: 'Could not load' },
  wallReportsLoading: { vi: 'Đang tải…', en: 'Loading…' },
  wallReportsUrgentTitle: { vi: 'Phản ánh quá hạn, sắp đến hạn', en: 'Reports overdue or due soon' },
  wallReportsNoUrgent: { vi: 'Không có phản ánh quá hạn hay sắp đến hạn', en: 'Nothing overdue or due soon' },
  wallReportsIoc: { vi: 'Trung tâm IOC', en: 'IOC' },
  wallReportsDue: { vi: 'hạn {time}', en: 'due {time}' },
  wallReportsEscalated: { vi: 'đã báo cáo cấp trên', en: 'escalated' },
  wallReportsMapTitle: { vi: 'Bản đồ phản ánh đang xử lý', en: 'Open reports on the map' },
  wallReportsSla_overdue: { vi: 'Quá hạn', en: 'Overdue' },
  wallReportsSla_due_soon: { vi: 'Sắp đến hạn', en: 'Due soon' },
  wallReportsSla_in_time: { vi: 'Trong hạn', en: 'In time' },
  wallReportsSla_none: { vi: 'Chờ điều phối', en: 'Awaiting dispatch' },
})
