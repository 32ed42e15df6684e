// Photos of citizen reports: checked (JPEG, PNG or WebP by their content, not their name; at most 10 MB),
// re-encoded without metadata (EXIF holds where and when a phone took it), with a 320-pixel WebP thumbnail,
// written to the photo store under DATA_DIR. sharp decodes and encodes: image parsing is not hand-written.
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { HttpProblem } from '../shared/http.ts'

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024
const TYPES = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const
const THUMB_WIDTH = 320

export interface ProcessedPhoto {
  contentType: (typeof TYPES)[keyof typeof TYPES]
  original: Buffer
  thumb: Buffer
  width: number
  height: number
  sha256: string
}

/** The upload as it will be stored, or a 400 naming the field. */
export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  if (input.byteLength > MAX_PHOTO_BYTES) throw new HttpProblem(413, { code: 'too_large', field: 'photo', message: `photo: at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB` })
  let format: string | undefined
  try {
    format = (await sharp(input).metadata()).format
  } catch {
    format = undefined
  }
  if (!format || !(format in TYPES)) throw new HttpProblem(400, { code: 'bad_request', field: 'photo', message: 'photo: expected a JPEG, PNG or WebP image' })
  const kind = format as keyof typeof TYPES
  // rotate() applies the EXIF orientation; the output keeps no metadata unless asked to
  const image = sharp(input, { limitInputPixels: 100_000_000 }).rotate()
  const original = await (kind === 'jpeg' ? image.jpeg({ quality: 88, mozjpeg: true }) : kind === 'png' ? image.png() : image.webp({ quality: 88 })).toBuffer({ resolveWithObject: true })
  const thumb = await sharp(original.data).resize({ width: THUMB_WIDTH, withoutEnlargement: true }).webp({ quality: 75 }).toBuffer()
  return {
    contentType: TYPES[kind],
    original: original.data,
    thumb,
    width: original.info.width,
    height: original.info.height,
    sha256: createHash('sha256').update(original.data).digest('hex'),
  }
}

/** Files under one folder, written whole (a temporary name, then a rename) so a crash leaves no half photo. */
export function localPhotoStore(dir: string) {
  const path = (reportId: string, photoId: string, thumb: boolean) => join(dir, reportId, `${photoId}${thumb ? '.thumb.webp' : ''}`)
  const put = async (file: string, data: Buffer) => {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(`${file}.part`, data)
    await rename(`${file}.part`, file)
  }
  return {
    async put(reportId: string, photoId: string, p: ProcessedPhoto): Promise<void> {
      await put(path(reportId, photoId, false), p.original)
      await put(path(reportId, photoId, true), p.thumb)
    },
    async get(reportId: string, photoId: string, thumb: boolean): Promise<Buffer | null> {
      return readFile(path(reportId, photoId, thumb)).catch(() => null)
    },
  }
}

export type PhotoStore = ReturnType<typeof localPhotoStore>
