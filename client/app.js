// Minimal live page: loads a snapshot through Socket.IO (rooms 'stations' and 'cameras'), applies the
// coalesced deltas, and resubscribes after a reconnect so nothing stale stays on screen.
import { io } from '/socket.io/socket.io.esm.min.js'

// VN_AQI bands (Decision 1459/QĐ-TCMT); the server sends the band key with every AQI
const BANDS = {
  good: ['Tốt', '#00e400', '#000'], moderate: ['Trung bình', '#ffff00', '#000'], poor: ['Kém', '#ff7e00', '#000'],
  bad: ['Xấu', '#ff0000', '#fff'], very_bad: ['Rất xấu', '#8f3f97', '#fff'], hazardous: ['Nguy hại', '#7e0023', '#fff'],
}
const STATUS = { online: 'Trực tuyến', stale: 'Chậm', offline: 'Mất kết nối' }
const stations = new Map()
const cameras = new Map()
const $ = (id) => document.getElementById(id)
const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ESC[c])
const fmt = (v, d = 1) => (v === null || v === undefined ? '–' : Number(v).toFixed(d))
// the operations center reads Vietnam time whatever the browser's zone
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) : '–')
let frame = 0

function render() {
  frame = 0
  const air = [...stations.values()].filter((s) => s.kind === 'air').sort((a, b) => (b.aqi?.value ?? -1) - (a.aqi?.value ?? -1))
  $('air').tBodies[0].innerHTML = air.map((s) => {
    const band = s.aqi ? BANDS[s.aqi.band] : null
    const badge = band ? `<span class="aqi" style="background:${band[1]};color:${band[2]}" title="${band[0]}">${s.aqi.value}</span>` : '–'
    return `<tr><td>${esc(s.name)}</td><td>${esc(s.unitName)}</td><td>${badge}</td><td>${fmt(s.values.pm25)}</td><td>${fmt(s.values.pm10)}</td><td class="st-${s.status}">${STATUS[s.status]}</td><td>${time(s.lastSeen)}</td></tr>`
  }).join('')
  const cams = [...cameras.values()].sort((a, b) => a.site.localeCompare(b.site))
  $('cams').tBodies[0].innerHTML = cams.map((c) =>
    `<tr><td>${esc(c.name)}</td><td>${esc(c.site)}</td><td>${c.inside ?? '–'}</td><td>${c.arrivalsLastHour ?? '–'}</td><td>${fmt(c.vehiclesPerMinute)}</td><td class="st-${c.status}">${STATUS[c.status]}</td></tr>`,
  ).join('')
  const all = [...stations.values()]
  $('k-online').textContent = `${all.filter((s) => s.status === 'online').length} / ${all.length}`
  const worst = air.find((s) => s.aqi)
  $('k-worst').textContent = worst ? worst.aqi.value : '–'
  $('k-worst-where').textContent = worst ? `${worst.name} · ${BANDS[worst.aqi.band][0]}` : ''
  const centers = cams.filter((c) => c.kind === 'service_center' && c.inside !== null)
  $('k-waiting').textContent = centers.length ? centers.reduce((n, c) => n + c.inside, 0) : '–'
  const roads = cams.filter((c) => c.kind === 'road' && c.vehiclesPerMinute !== null)
  $('k-traffic').textContent = roads.length ? Math.round(roads.reduce((n, c) => n + c.vehiclesPerMinute, 0)) : '–'
}
const schedule = () => { frame ||= requestAnimationFrame(render) }

function setConn(cls, text) {
  const el = $('conn')
  el.className = `conn ${cls}`
  el.textContent = text
}

const socket = io({ transports: ['websocket', 'polling'] })
function subscribe() {
  socket.emit('subscribe', { rooms: ['stations', 'cameras'] }, (res) => {
    if (!res.ok) return setConn('down', res.error.message)
    stations.clear()
    cameras.clear()
    for (const s of res.data.stations) stations.set(s.id, s)
    for (const c of res.data.cameras) cameras.set(c.id, c)
    $('asof').textContent = time(res.data.at)
    setConn('live', 'Trực tiếp')
    schedule()
  })
}
socket.on('connect', subscribe)
socket.on('reference:changed', subscribe)
socket.on('disconnect', () => setConn('down', 'Mất kết nối – đang thử lại'))
socket.io.on('reconnect_attempt', () => setConn('connecting', 'Đang kết nối lại…'))
socket.on('stations:delta', (d) => {
  for (const s of d.stations) if (stations.has(s.id)) Object.assign(stations.get(s.id), s)
  $('asof').textContent = time(d.at)
  schedule()
})
socket.on('cameras:delta', (d) => {
  for (const c of d.cameras) if (cameras.has(c.id)) Object.assign(cameras.get(c.id), c)
  schedule()
})
