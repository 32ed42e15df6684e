// Report photos in an S3-compatible bucket (REPORT_PHOTO_S3) instead of DATA_DIR: uploaded through the API,
// written to the bucket over real S3 requests signed with SigV4, read back through the API with the report's
// scope, and a write the bucket refuses failing the upload. The bucket is s3rver, an S3 protocol server in Node
// (the machine has no MinIO or AWS): it checks the access key but, as measured here, not the signature itself.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AwsClient } from 'aws4fetch'
import S3rver from 's3rver'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../core/config.ts'
import { s3PhotoStore } from '../../server/reports/photos.ts'
import { SYSTEM } from '../../server/shared/audit.ts'
import { freePort } from '../helpers/services.ts'
import { closeStack, openStack, STACK_TARGETS, type StackTarget } from '../helpers/stack.ts'

describe('report photos in an S3-compatible bucket', () => {
  let s3: S3rver
  let dir: string
  let endpoint: string
  let t0: StackTarget
  let dispatcherKey: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-s3-'))
    const port = await freePort()
    s3 = new S3rver({ address: '127.0.0.1', port, directory: dir, silent: true, configureBuckets: [{ name: 'ioc-photos', configs: [] }] })
    await s3.run()
    endpoint = `http://127.0.0.1:${port}`
    t0 = await openStack(STACK_TARGETS.at(-1)!, { REPORT_PHOTO_S3: `http://S3RVER:S3RVER@127.0.0.1:${port}/ioc-photos?region=ap-southeast-1` })
    await t0.stack.server.accounts.addUser(SYSTEM, { username: 'disp-s3', password: 'dispatcher-password', roles: ['dispatcher'] })
    dispatcherKey = (await t0.stack.server.accounts.addApiKey(SYSTEM, 'disp-s3-key', 'disp-s3')).key
  })
  afterAll(async () => {
    await closeStack(t0 ?? {})
    await s3?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('reads the bucket, its credentials and region from one URL, and refuses one without them', () => {
    expect(loadConfig({ REPORT_PHOTO_S3: 'https://AK:S%2FK@s3.example.vn/ioc?region=vn-1' }).reports.photos).toEqual({
      kind: 's3',
      endpoint: 'https://s3.example.vn',
      bucket: 'ioc',
      region: 'vn-1',
      accessKeyId: 'AK',
      secretAccessKey: 'S/K',
    })
    expect(loadConfig({}).reports.photos).toMatchObject({ kind: 'folder' })
    expect(() => loadConfig({ REPORT_PHOTO_S3: 'https://s3.example.vn/ioc' })).toThrow(/REPORT_PHOTO_S3/)
  })

  it('stores an upload and its thumbnail as objects in the bucket, and serves them back with the report’s scope', async () => {
    const { stack } = t0
    const res = await fetch(`${stack.server.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: dispatcherKey, service_code: 'water', lat: '20.957', long: '107.105', description: 'Vỡ ống nước' }),
    })
    const id = ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#205080' } }).jpeg().toBuffer()
    const form = new FormData()
    form.set('kind', 'report')
    form.set('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'ong-nuoc.jpg')
    const up = await fetch(`${stack.server.url}/api/reports/${id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${dispatcherKey}` }, body: form })
    expect(up.status).toBe(201)
    const photo = (await up.json()) as { id: string; url: string; thumbUrl: string }
    // the objects are in the bucket, read with the bucket's own credentials
    const bucket = new AwsClient({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'ap-southeast-1', service: 's3' })
    const original = await bucket.fetch(`${endpoint}/ioc-photos/reports/${id}/${photo.id}`)
    expect(original.status).toBe(200)
    expect((await sharp(Buffer.from(await original.arrayBuffer())).metadata()).width).toBe(640)
    const thumb = await bucket.fetch(`${endpoint}/ioc-photos/reports/${id}/${photo.id}.thumb.webp`)
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).format).toBe('webp')
    // and come back through the API
    const served = await fetch(`${stack.server.url}${photo.thumbUrl}`, { headers: { authorization: `Bearer ${dispatcherKey}` } })
    expect(served.headers.get('content-type')).toBe('image/webp')
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(320)
  })

  it('fails a write the bucket refuses, so no row names a photo that is not there', async () => {
    const store = s3PhotoStore({ kind: 's3', endpoint, bucket: 'ioc-photos', region: 'ap-southeast-1', accessKeyId: 'NOT-A-KEY', secretAccessKey: 'S3RVER' })
    const jpeg = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).jpeg().toBuffer()
    await expect(store.put('1', '1', { contentType: 'image/jpeg', original: jpeg, thumb: jpeg, width: 10, height: 10, sha256: '' })).rejects.toThrow(/PUT \/ioc-photos\/reports\/1\/1 answered 403/)
  })
})
