// A form's input checked before it is sent, with the contract's own schemas (the server checks the same ones),
// and the problem said in the admin's language for the field at fault. The server's answer still decides:
// what only it can know (a taken username, a unit that does not exist) comes back as its refusal.
import { PASSWORD_MIN, check, type WallLanguage, type z } from '../../../contract/index.ts'
import type { Words } from './format.ts'
import { t } from './i18n.ts'

type Key = Parameters<typeof t>[1]

/** A request field's name as the forms label it. */
const FIELD_LABELS: Record<string, Key> = {
  username: 'username',
  displayName: 'displayName',
  password: 'password',
  roles: 'roles',
  agencyUnitId: 'agencyUnit',
  scopeUnitId: 'scopeUnit',
}

/** What to say when a field fails its schema; other fields keep the schema's own words. */
const FIELD_PROBLEMS: Record<string, Words> = {
  username: (lang) => t(lang, 'badUsername'),
  password: (lang) => t(lang, 'passwordTooShort', { n: PASSWORD_MIN }),
  roles: (lang) => t(lang, 'pickRole'),
  agencyUnitId: (lang) => t(lang, 'agencyNeedsUnit'),
}

export interface FormProblem {
  /** The request field at fault ('' for the request as a whole). */
  field: string
  /** What is wrong, in whichever language the page is in when it is shown. */
  say: Words
}

/** The label of a request field, with the form's own words for fields it names differently (`name`). */
export function fieldLabel(lang: WallLanguage, field: string, own: Record<string, Key> = {}): string | null {
  const key = own[field] ?? FIELD_LABELS[field]
  return key ? t(lang, key) : null
}

/** The first problem of `body` under `schema`, or null when it may be sent. */
export function problemOf(schema: z.ZodType, body: unknown, own: Record<string, Words> = {}): FormProblem | null {
  const r = check(schema, body)
  if (r.ok) return null
  const first = r.issues[0]!
  const field = first.path.split(/[.[]/)[0] ?? ''
  const say = own[field] ?? FIELD_PROBLEMS[field]
  return { field, say: say ?? (() => first.message) }
}
