// What a KPI tile needs from a domain: whether higher or lower is worse (for colours and the change
// against yesterday) and the number it shows. Each domain declares its KPIs (environment/kpis.ts,
// cameras/kpis.ts); contract/domains.ts gathers them.

export interface KpiSpec<K> {
  worseWhen: 'higher' | 'lower'
  /** The number a tile shows and its thresholds compare (a share 0–1 for proportions). */
  value(k: K): number | null
}

/** Colour thresholds of a KPI tile; whether higher or lower is worse comes from the KPI (KpiSpec). */
export interface KpiThresholds {
  warn: number
  critical: number
}
