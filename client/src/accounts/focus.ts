// Keyboard focus for the admin page's panels: a form or confirmation that opens takes the focus (its first
// field), so a keyboard user lands where the next keystroke belongs instead of at the button that opened it.
import type { Attachment } from 'svelte/attachments'

export const focusFirstField: Attachment<HTMLElement> = (node) => {
  node.querySelector<HTMLElement>('input:not([type=hidden]):not([hidden]):not([disabled]), select, textarea, button')?.focus()
}
