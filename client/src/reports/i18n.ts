// The report consoles' words, in Vietnamese (default) and English (see shared/i18n.ts): the dispatcher's queue
// and the agency's inbox, the life cycle's states and actions as the 1022 hotlines and iHanoi name them, and
// what the forms say when something is missing. Server messages (English, naming the field) are shown after a
// Vietnamese lead, so a clerk knows what happened and a developer still reads the cause.
import type { PriorityLevel, RejectReason, ReportState, SlaState, WallLanguage } from '../../../contract/index.ts'
import { WALL_WORDS, translator, type Catalogue } from '../shared/i18n.ts'

const WORDS = {
  ...WALL_WORDS,
  // --- the page's frame -----------------------------------------------------------------------------------
  dispatcherTitle: { vi: 'Tiếp nhận, xử lý phản ánh, kiến nghị', en: 'Citizen reports desk' },
  agencyTitle: { vi: 'Hộp thư phản ánh', en: 'Report inbox' },
  signedInAs: { vi: 'Đang đăng nhập:', en: 'Signed in as' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  openWall: { vi: 'Màn hình giám sát', en: 'Wall' },
  openLeaders: { vi: 'Kết quả TTHC', en: 'Performance' },
  openAdmin: { vi: 'Quản trị', en: 'Administration' },
  liveOn: { vi: 'Tự động cập nhật', en: 'Live' },
  liveOff: { vi: 'Mất kết nối – danh sách có thể chưa mới', en: 'Disconnected – the list may be out of date' },
  updatedAt: { vi: 'Cập nhật {time}', en: 'Updated {time}' },
  sessionFailed: { vi: 'Không đọc được phiên đăng nhập: {reason}', en: 'Could not read the session: {reason}' },
  noAgency: { vi: 'Tài khoản chưa được gán cơ quan. Đề nghị quản trị viên gán cơ quan cho tài khoản.', en: 'Your account has no agency. Ask an administrator to set it.' },
  retry: { vi: 'Thử lại', en: 'Retry' },
  updating: { vi: 'Đang cập nhật…', en: 'Updating…' },
  cancel: { vi: 'Hủy', en: 'Cancel' },

  // --- filters ----------------------------------------------------------------------------------------------
  filters: { vi: 'Lọc danh sách', en: 'Filters' },
  filterStatus: { vi: 'Trạng thái', en: 'Status' },
  statusOpen: { vi: 'Đang mở', en: 'Open' },
  statusDesk: { vi: 'Chờ IOC xử lý', en: 'Waiting for the IOC' },
  statusWaitingAgency: { vi: 'Chờ tiếp nhận', en: 'Waiting to be accepted' },
  statusHandling: { vi: 'Đang xử lý', en: 'Being handled' },
  statusByState: { vi: 'Theo trạng thái', en: 'By state' },
  statusClosed: { vi: 'Đã đóng', en: 'Closed' },
  statusAll: { vi: 'Tất cả', en: 'All' },
  filterCategory: { vi: 'Lĩnh vực', en: 'Category' },
  filterAgency: { vi: 'Cơ quan', en: 'Agency' },
  filterSla: { vi: 'Thời hạn', en: 'Deadline' },
  anyCategory: { vi: 'Mọi lĩnh vực', en: 'Every category' },
  anyAgency: { vi: 'Mọi cơ quan', en: 'Every agency' },
  anySla: { vi: 'Mọi thời hạn', en: 'Any deadline' },
  search: { vi: 'Tìm kiếm', en: 'Search' },
  searchPlaceholder: { vi: 'Số, nội dung, địa chỉ…', en: 'Number, text, address…' },
  clearFilters: { vi: 'Bỏ lọc', en: 'Clear' },
  newByPhone: { vi: 'Tiếp nhận qua điện thoại', en: 'Take a report by phone' },

  // --- the queue --------------------------------------------------------------------------------------------
  queueTitle: { vi: 'Danh sách phản ánh', en: 'Reports' },
  inboxTitle: { vi: 'Phản ánh chuyển đến {agency}', en: 'Reports sent to {agency}' },
  queueCount: { vi: '{n} phản ánh', en: '{n} reports' },
  queueEmpty: { vi: 'Không có phản ánh nào khớp bộ lọc.', en: 'No report matches the filters.' },
  inboxEmpty: { vi: 'Chưa có phản ánh nào được chuyển đến cơ quan.', en: 'No report has been sent to your agency.' },
  colReport: { vi: 'Số / Nhận lúc', en: 'No. / Received' },
  colContent: { vi: 'Nội dung', en: 'Report' },
  colAgency: { vi: 'Cơ quan xử lý', en: 'Agency' },
  colDeadline: { vi: 'Thời hạn', en: 'Deadline' },
  noAgencyYet: { vi: 'Chưa chuyển', en: 'Not sent yet' },
  noAddress: { vi: 'Chưa rõ địa điểm', en: 'No location' },
  pagePrev: { vi: 'Trang trước', en: 'Previous' },
  pageNext: { vi: 'Trang sau', en: 'Next' },
  pageOf: { vi: 'Trang {page}/{pages}', en: 'Page {page} of {pages}' },
  escalated: { vi: 'Đã báo cáo cấp trên', en: 'Escalated' },
  extensionPending: { vi: 'Chờ duyệt gia hạn', en: 'Extension requested' },
  dueAt: { vi: 'hạn {time}', en: 'due {time}' },
  phase_accept: { vi: 'Hạn tiếp nhận', en: 'Accept by' },
  phase_resolve: { vi: 'Hạn xử lý', en: 'Resolve by' },

  // --- the map ----------------------------------------------------------------------------------------------
  mapTitle: { vi: 'Vị trí các phản ánh trong danh sách', en: 'Where the reports in the list are' },
  mapHide: { vi: 'Ẩn bản đồ', en: 'Hide map' },
  mapShow: { vi: 'Hiện bản đồ', en: 'Show map' },
  mapNoPoint: { vi: '{n} phản ánh không có tọa độ', en: '{n} without a location' },

  // --- the detail ---------------------------------------------------------------------------------------------
  pickOne: { vi: 'Chọn một phản ánh trong danh sách để xem chi tiết và xử lý.', en: 'Pick a report in the list to see and handle it.' },
  reportN: { vi: 'Phản ánh số {id}', en: 'Report {id}' },
  description: { vi: 'Nội dung phản ánh', en: 'Description' },
  photos: { vi: 'Hình ảnh', en: 'Photos' },
  photoN: { vi: 'Ảnh {n}', en: 'Photo {n}' },
  photoBlocked: { vi: 'Mở ảnh {n}', en: 'Open photo {n}' },
  facts: { vi: 'Thông tin', en: 'Details' },
  state: { vi: 'Trạng thái', en: 'State' },
  category: { vi: 'Lĩnh vực', en: 'Category' },
  priority: { vi: 'Mức độ', en: 'Priority' },
  receivedAt: { vi: 'Thời điểm nhận', en: 'Received' },
  source: { vi: 'Kênh tiếp nhận', en: 'Channel' },
  unit: { vi: 'Địa bàn', en: 'Locality' },
  address: { vi: 'Địa chỉ', en: 'Address' },
  position: { vi: 'Tọa độ', en: 'Position' },
  openMap: { vi: 'xem bản đồ', en: 'open map' },
  agency: { vi: 'Cơ quan xử lý', en: 'Agency' },
  deadline: { vi: 'Thời hạn', en: 'Deadline' },
  extensionTo: { vi: 'Gia hạn đến {time}', en: 'Extended to {time}' },
  extensionAsked: { vi: 'Cơ quan đề nghị gia hạn đến {time}', en: 'The agency asks for {time}' },
  statusNotes: { vi: 'Thông báo cho người phản ánh', en: 'Status shown to the citizen' },
  result: { vi: 'Kết quả xử lý', en: 'Result' },
  rejectReason: { vi: 'Lý do từ chối', en: 'Rejected because' },
  duplicateOf: { vi: 'Trùng với phản ánh số {id}', en: 'Duplicate of report {id}' },
  rating: { vi: 'Đánh giá của người dân', en: 'Citizen rating' },
  satisfied: { vi: 'Hài lòng', en: 'Satisfied' },
  notSatisfied: { vi: 'Không hài lòng', en: 'Not satisfied' },
  attributes: { vi: 'Thông tin bổ sung', en: 'Attributes' },
  source_open311: { vi: 'Ứng dụng công dân', en: 'Citizen app' },
  source_mqtt: { vi: 'Tổng đài 1022', en: 'Call centre' },
  source_console: { vi: 'Điện thoại (IOC)', en: 'Phone (IOC)' },

  // --- contact (dispatchers) --------------------------------------------------------------------------------
  contactTitle: { vi: 'Người phản ánh', en: 'Reporter' },
  showContact: { vi: 'Xem thông tin liên hệ', en: 'Show contact details' },
  contactAudited: { vi: 'Mỗi lượt xem được ghi vào nhật ký hệ thống.', en: 'Every read is written to the audit log.' },
  contactNone: { vi: 'Người phản ánh không để lại thông tin liên hệ.', en: 'The reporter left no contact details.' },
  contactName: { vi: 'Họ tên', en: 'Name' },
  contactPhone: { vi: 'Điện thoại', en: 'Phone' },
  contactEmail: { vi: 'Thư điện tử', en: 'E-mail' },
  contactDevice: { vi: 'Thiết bị', en: 'Device' },

  // --- duplicates ---------------------------------------------------------------------------------------------
  duplicatesTitle: { vi: 'Có thể trùng lặp', en: 'Possible duplicates' },
  duplicatesNone: { vi: 'Không thấy phản ánh cùng lĩnh vực ở gần.', en: 'No open report of the same category nearby.' },
  mergeInto: { vi: 'Gộp vào #{id}', en: 'Merge into #{id}' },
  mergeConfirm: { vi: 'Gộp phản ánh #{from} vào #{id}? Người phản ánh sẽ nhận kết quả của #{id}.', en: 'Merge #{from} into #{id}? The reporter gets the result of #{id}.' },
  meters: { vi: 'cách {m} m', en: '{m} m away' },

  // --- history ------------------------------------------------------------------------------------------------
  historyTitle: { vi: 'Quá trình xử lý', en: 'History' },
  public: { vi: 'công khai', en: 'public' },
  internal: { vi: 'nội bộ', en: 'internal' },
  event_submit: { vi: 'Tiếp nhận phản ánh', en: 'Received' },
  event_escalate: { vi: 'Quá hạn – báo cáo cấp trên', en: 'Overdue – escalated' },
  event_original_updated: { vi: 'Phản ánh gốc cập nhật', en: 'Original updated' },
  event_rate: { vi: 'Người dân đánh giá', en: 'Citizen rated' },
  actor_system: { vi: 'Hệ thống', en: 'System' },
  actor_citizen: { vi: 'Người dân', en: 'Citizen' },

  // --- actions ------------------------------------------------------------------------------------------------
  actionsTitle: { vi: 'Xử lý', en: 'Actions' },
  noActions: { vi: 'Không có thao tác nào ở trạng thái này.', en: 'Nothing to do in this state.' },
  action_classify: { vi: 'Phân loại', en: 'Classify' },
  action_forward: { vi: 'Chuyển xử lý', en: 'Forward' },
  action_reject: { vi: 'Từ chối', en: 'Reject' },
  action_mark_duplicate: { vi: 'Gộp trùng', en: 'Merge' },
  action_accept: { vi: 'Tiếp nhận', en: 'Accept' },
  action_return: { vi: 'Trả lại', en: 'Return' },
  action_start: { vi: 'Bắt đầu xử lý', en: 'Start work' },
  action_note: { vi: 'Ghi tiến độ', en: 'Progress note' },
  action_request_extension: { vi: 'Đề nghị gia hạn', en: 'Request an extension' },
  action_approve_extension: { vi: 'Đồng ý gia hạn', en: 'Approve the extension' },
  action_refuse_extension: { vi: 'Không đồng ý gia hạn', en: 'Refuse the extension' },
  action_resolve: { vi: 'Báo kết quả', en: 'Resolve' },
  action_publish: { vi: 'Công khai kết quả', en: 'Publish' },
  action_reopen: { vi: 'Mở lại', en: 'Reopen' },
  action_rate: { vi: 'Người dân đánh giá', en: 'Citizen rated' },
  done_classify: { vi: 'Đã phân loại phản ánh #{id}.', en: 'Report {id} classified.' },
  done_forward: { vi: 'Đã chuyển phản ánh #{id} đến {agency}.', en: 'Report {id} forwarded to {agency}.' },
  done_reject: { vi: 'Đã từ chối phản ánh #{id}.', en: 'Report {id} rejected.' },
  done_mark_duplicate: { vi: 'Đã gộp phản ánh #{id}.', en: 'Report {id} merged.' },
  done_accept: { vi: 'Đã tiếp nhận phản ánh #{id}.', en: 'Report {id} accepted.' },
  done_return: { vi: 'Đã trả lại phản ánh #{id} cho Trung tâm IOC.', en: 'Report {id} returned to the IOC.' },
  done_start: { vi: 'Đang xử lý phản ánh #{id}.', en: 'Work on report {id} started.' },
  done_note: { vi: 'Đã ghi tiến độ phản ánh #{id}.', en: 'Note added to report {id}.' },
  done_request_extension: { vi: 'Đã gửi đề nghị gia hạn phản ánh #{id}.', en: 'Extension requested for report {id}.' },
  done_approve_extension: { vi: 'Đã đồng ý gia hạn phản ánh #{id}.', en: 'Extension of report {id} approved.' },
  done_refuse_extension: { vi: 'Đã không đồng ý gia hạn phản ánh #{id}.', en: 'Extension of report {id} refused.' },
  done_resolve: { vi: 'Đã báo kết quả phản ánh #{id}.', en: 'Report {id} resolved.' },
  done_publish: { vi: 'Đã công khai kết quả phản ánh #{id}.', en: 'Result of report {id} published.' },
  done_reopen: { vi: 'Đã mở lại phản ánh #{id}.', en: 'Report {id} reopened.' },
  done_create: { vi: 'Đã tạo phản ánh #{id}.', en: 'Report {id} created.' },
  submit: { vi: 'Gửi', en: 'Submit' },
  sending: { vi: 'Đang gửi…', en: 'Sending…' },

  // --- form fields --------------------------------------------------------------------------------------------
  note: { vi: 'Ghi chú', en: 'Note' },
  noteOptional: { vi: 'Ghi chú (không bắt buộc)', en: 'Note (optional)' },
  forwardTo: { vi: 'Chuyển đến cơ quan', en: 'Forward to' },
  proposed: { vi: 'đề xuất', en: 'proposed' },
  proposedByRule: { vi: 'Đề xuất theo quy tắc phân công: {agency}.', en: 'Proposed by the routing rules: {agency}.' },
  proposedDefault: { vi: 'Không có quy tắc phân công cho lĩnh vực này tại địa bàn; mặc định: {agency}.', en: 'No routing rule here for this category; default: {agency}.' },
  forwardClassifiesFirst: { vi: 'Phản ánh mới sẽ được phân loại theo lĩnh vực hiện tại rồi chuyển.', en: 'A new report is classified as it stands, then forwarded.' },
  group_department: { vi: 'Sở, ban, ngành', en: 'Departments' },
  group_locality: { vi: 'Xã, phường, đặc khu', en: 'Localities' },
  group_area: { vi: 'Khu vực', en: 'Areas' },
  group_province: { vi: 'Tỉnh', en: 'Province' },
  group_centre: { vi: 'Trung tâm', en: 'Centres' },
  rejectReasonField: { vi: 'Lý do', en: 'Reason' },
  reject_out_of_scope: { vi: 'Không thuộc phạm vi tiếp nhận', en: 'Out of scope' },
  reject_spam: { vi: 'Không có nội dung cụ thể (spam)', en: 'No content to act on (spam)' },
  reject_complaint_or_denunciation: { vi: 'Khiếu nại, tố cáo (chuyển kênh theo luật)', en: 'Complaint or denunciation (its legal channel)' },
  rejectNote: { vi: 'Trả lời người phản ánh (để trống: câu trả lời mặc định)', en: 'Answer to the citizen (empty: the standard answer)' },
  returnReason: { vi: 'Lý do trả lại (không thuộc thẩm quyền…)', en: 'Why it is not for this agency' },
  reopenReason: { vi: 'Lý do mở lại', en: 'Why it is reopened' },
  progressNote: { vi: 'Nội dung tiến độ', en: 'Progress' },
  notePublic: { vi: 'Công khai cho người phản ánh', en: 'Show to the citizen' },
  newDeadline: { vi: 'Hạn mới (giờ Việt Nam)', en: 'New deadline (Vietnam time)' },
  extensionReason: { vi: 'Lý do cần thêm thời gian', en: 'Why more time is needed' },
  resultText: { vi: 'Kết quả xử lý (gửi người phản ánh)', en: 'Result (sent to the citizen)' },
  resultPhotoFiles: { vi: 'Ảnh kết quả (JPEG, PNG, WebP; tối đa 10 MB mỗi ảnh)', en: 'Result photos (JPEG, PNG, WebP; 10 MB each at most)' },
  resultPhotos: { vi: 'Hoặc địa chỉ ảnh: mỗi dòng một địa chỉ (URL)', en: 'Or photo links: one URL a line' },
  duplicateOfField: { vi: 'Gộp vào phản ánh số', en: 'Merge into report no.' },
  template: { vi: 'Chèn câu trả lời mẫu…', en: 'Insert a reply template…' },
  template_received: { vi: 'Đã tiếp nhận', en: 'Received' },
  template_forwarded: { vi: 'Đã chuyển xử lý', en: 'Forwarded' },
  template_out_of_scope: { vi: 'Không thuộc phạm vi', en: 'Out of scope' },
  template_complaint: { vi: 'Khiếu nại, tố cáo', en: 'Complaint or denunciation' },
  template_duplicate: { vi: 'Trùng lặp', en: 'Duplicate' },
  template_resolved: { vi: 'Đã xử lý xong', en: 'Resolved' },

  // --- the phone intake -----------------------------------------------------------------------------------------
  intakeTitle: { vi: 'Tiếp nhận phản ánh qua điện thoại', en: 'A report taken by phone' },
  intakeCategory: { vi: 'Lĩnh vực', en: 'Category' },
  pickCategory: { vi: '– Chọn lĩnh vực –', en: '– Pick a category –' },
  intakeDescription: { vi: 'Nội dung người dân phản ánh', en: 'What the caller reports' },
  intakeAddress: { vi: 'Địa chỉ, địa điểm', en: 'Address or place' },
  intakeLat: { vi: 'Vĩ độ (không bắt buộc)', en: 'Latitude (optional)' },
  intakeLon: { vi: 'Kinh độ (không bắt buộc)', en: 'Longitude (optional)' },
  callerName: { vi: 'Họ tên người gọi', en: 'Caller’s name' },
  callerPhone: { vi: 'Số điện thoại', en: 'Phone number' },
  callerEmail: { vi: 'Thư điện tử', en: 'E-mail' },
  intakeSubmit: { vi: 'Tạo phản ánh', en: 'Create the report' },

  // --- what goes wrong ------------------------------------------------------------------------------------------
  required: { vi: 'Chưa nhập.', en: 'Required.' },
  requiredChoice: { vi: 'Chưa chọn.', en: 'Pick one.' },
  placeholderLeft: { vi: 'Còn chỗ cần điền: {what}.', en: 'Still to fill in: {what}.' },
  latLonTogether: { vi: 'Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai.', en: 'Both latitude and longitude, or neither.' },
  badLat: { vi: 'Vĩ độ từ -90 đến 90.', en: 'A latitude from -90 to 90.' },
  badLon: { vi: 'Kinh độ từ -180 đến 180.', en: 'A longitude from -180 to 180.' },
  badPhone: { vi: 'Số điện thoại gồm chữ số (tối đa 20 ký tự).', en: 'Digits, at most 20 characters.' },
  locationNeeded: { vi: 'Nhập địa chỉ hoặc tọa độ để chuyển đúng địa bàn.', en: 'An address or a position, to route it.' },
  badUrl: { vi: 'Mỗi dòng là một địa chỉ http(s)://…', en: 'Each line an http(s):// address.' },
  badPhoto: { vi: 'Chỉ nhận tối đa 10 ảnh JPEG, PNG hoặc WebP, mỗi ảnh không quá 10 MB.', en: 'At most 10 JPEG, PNG or WebP photos of 10 MB each.' },
  futureOnly: { vi: 'Hạn mới phải sau thời điểm hiện tại.', en: 'The new deadline must be in the future.' },
  badReportId: { vi: 'Số phản ánh gồm chữ số.', en: 'A report number (digits).' },
  serverRefused: { vi: 'Máy chủ không chấp nhận: {reason}', en: 'The server refused: {reason}' },
  conflict: { vi: 'Phản ánh vừa được người khác xử lý hoặc đã đổi trạng thái ({reason}). Đã tải lại.', en: 'Someone changed this report meanwhile ({reason}). Reloaded.' },
  forbidden: { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You may not do this.' },
  notFound: { vi: 'Phản ánh không tồn tại hoặc không thuộc hộp thư của bạn.', en: 'This report does not exist or is not in your inbox.' },
  network: { vi: 'Không kết nối được máy chủ: {reason}', en: 'Could not reach the server: {reason}' },
  loadError: { vi: 'Không tải được: {reason}', en: 'Could not load: {reason}' },
} as const satisfies Catalogue

export const t = translator(WORDS)
export type Word = keyof typeof WORDS

/** Labels built from data (an event's action, a template's code) check the catalogue first: `t` has no fallback. */
function isWord(key: string): key is Word {
  return Object.hasOwn(WORDS, key)
}

const STATES: Record<ReportState, Record<WallLanguage, string>> = {
  new: { vi: 'Mới', en: 'New' },
  classified: { vi: 'Đã phân loại', en: 'Classified' },
  forwarded: { vi: 'Chờ cơ quan tiếp nhận', en: 'Forwarded' },
  accepted: { vi: 'Cơ quan đã tiếp nhận', en: 'Accepted' },
  in_progress: { vi: 'Đang xử lý', en: 'In progress' },
  resolved: { vi: 'Đã có kết quả', en: 'Resolved' },
  published: { vi: 'Đã công khai', en: 'Published' },
  rated: { vi: 'Đã đánh giá', en: 'Rated' },
  returned: { vi: 'Bị trả lại', en: 'Returned' },
  rejected: { vi: 'Từ chối', en: 'Rejected' },
  duplicate: { vi: 'Trùng lặp', en: 'Duplicate' },
  reopened: { vi: 'Mở lại', en: 'Reopened' },
}

export function stateLabel(lang: WallLanguage, s: ReportState): string {
  return STATES[s][lang]
}

const PRIORITIES: Record<PriorityLevel, Record<WallLanguage, string>> = {
  urgent: { vi: 'Khẩn cấp', en: 'Urgent' },
  complex: { vi: 'Phức tạp', en: 'Complex' },
  normal: { vi: 'Thông thường', en: 'Normal' },
}

export function priorityLabel(lang: WallLanguage, p: PriorityLevel): string {
  return PRIORITIES[p][lang]
}

const SLA: Record<SlaState, Record<WallLanguage, string>> = {
  none: { vi: '–', en: '–' },
  in_time: { vi: 'Trong hạn', en: 'In time' },
  due_soon: { vi: 'Sắp đến hạn', en: 'Due soon' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
}

export function slaLabel(lang: WallLanguage, s: SlaState): string {
  return SLA[s][lang]
}

export function rejectLabel(lang: WallLanguage, r: RejectReason | string): string {
  const key = `reject_${r}`
  return isWord(key) ? t(lang, key) : r
}

/** An event's action as the history shows it: the life cycle's actions, and the system's own (submit, escalate). */
export function eventLabel(lang: WallLanguage, action: string): string {
  for (const key of [`action_${action}`, `event_${action}`]) if (isWord(key)) return t(lang, key)
  return action
}

/** A reply template's short name for the picker. */
export function templateLabel(lang: WallLanguage, code: string): string {
  const key = `template_${code}`
  return isWord(key) ? t(lang, key) : code
}
