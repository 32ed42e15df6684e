// Photos of citizen reports: checked (JPEG, PNG or WebP by their content, not their name; at most 10 MB),
// re-encoded without metadata (EXIF holds where and when a phone took it), with a 320-pixel WebP thumbnail,
// written to the photo store: a folder under DATA_DIR, or an S3-compatible bucket. sharp decodes and encodes:
// image parsing is not hand-written.
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { AwsClient } from 'aws4fetch'
import sharp from 'sharp'
import type { PhotoStorage } from '../../core/config.ts'
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
export function localPhotoStore(dir: string): PhotoStore {
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

export interface PhotoStore {
  put(reportId: string, photoId: string, p: ProcessedPhoto): Promise<void>
  get(reportId: string, photoId: string, thumb: boolean): Promise<Buffer | null>
}

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph, a province's own), path-style, signed with SigV4 by
 * aws4fetch: `reports/<report>/<photo>` and `…/<photo>.thumb.webp`. A PUT answers once the object is whole.
 */
export function s3PhotoStore(o: Extract<PhotoStorage, { kind: 's3' }>): PhotoStore {
  const client = new AwsClient({ accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey, region: o.region, service: 's3' })
  const url = (reportId: string, photoId: string, thumb: boolean) => `${o.endpoint}/${encodeURIComponent(o.bucket)}/reports/${reportId}/${photoId}${thumb ? '.thumb.webp' : ''}`
  const put = async (target: string, body: Buffer, contentType: string) => {
    const res = await client.fetch(target, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': contentType } })
    if (!res.ok) throw new Error(`photo store: PUT ${target.replace(o.endpoint, '')} answered ${res.status}`)
    await res.arrayBuffer()
  }
  return {
    async put(reportId, photoId, p) {
      await put(url(reportId, photoId, false), p.original, p.contentType)
      await put(url(reportId, photoId, true), p.thumb, 'image/webp')
    },
    async get(reportId, photoId, thumb) {
      const res = await client.fetch(url(reportId, photoId, thumb))
      if (res.status === 404) return null
      if (!res.ok) throw new Error(`photo store: GET answered ${res.status}`)
      return Buffer.from(await res.arrayBuffer())
    },
  }
}

export function photoStore(storage: PhotoStorage): PhotoStore {
  return storage.kind === 's3' ? s3PhotoStore(storage) : localPhotoStore(storage.dir)
}
