// Reply templates (GET /api/report-categories) as the forms insert them: the placeholders the form knows are
// filled in ({agency}: the agency chosen, {due}: the report's deadline), and a text still holding one is not
// sent, so no citizen is told "within {due}".

/** Fills the placeholders given; leaves the others as they are. */
export function fillTemplate(text: string, values: Record<string, string | null | undefined>): string {
  return text.replace(/\{(\w+)\}/g, (all, key: string) => values[key] || all)
}

/** The placeholders a text still holds ("{due}"). */
export function placeholdersLeft(text: string): string[] {
  return [...new Set(text.match(/\{\w+\}/g) ?? [])]
}

/** Appends an inserted template to what the field holds, on a line of its own. */
export function appendText(current: string, insert: string): string {
  return current.trim() ? `${current.trimEnd()}\n${insert}` : insert
}
