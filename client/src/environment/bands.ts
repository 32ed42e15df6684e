// VN_AQI bands as the wall writes them: the band's name in the wall's language, and a colour for text.
import { AQI_BANDS, type AqiBand, type AqiBandKey, type WallLanguage } from '../../../contract/index.ts'

/**
 * Band colours for text and lines on the dark wall. The official fills of the two worst bands (#8f3f97,
 * #7e0023) are too dark to read as text on it (about 1.7:1), so text uses lighter tints of the same hue;
 * fills (map points, bars, chart bands) keep the official colours.
 */
const BAND_TEXT: Partial<Record<AqiBandKey, string>> = { very_bad: '#c38bd0', hazardous: '#e0557c' }
export function bandTextColor(band: AqiBand): string {
  return BAND_TEXT[band.key] ?? band.hex
}

export function bandLabel(key: AqiBandKey, lang: WallLanguage): string {
  return AQI_BANDS.find((b) => b.key === key)![lang]
}
