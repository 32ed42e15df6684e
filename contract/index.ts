// The contract every part of the IOC imports: topics, payload schemas, domain formulas, live shapes,
// Socket.IO events and REST shapes. One copy of each; see ARCHITECTURE.md.
export * from './metrics.ts'
export * from './topics.ts'
export * from './payloads.ts'
export * from './aqi.ts'
export * from './status.ts'
export * from './camera-kpis.ts'
export * from './reference.ts'
export * from './live.ts'
export * from './events.ts'
export * from './rest.ts'
export * from './geo.ts'
