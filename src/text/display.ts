/*
 * Characters that change how text is shown without being text: C0 controls (but tab and line breaks), DEL, C1
 * controls, and the Unicode bidirectional controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069
 * isolates, U+200E/U+200F/U+061C marks). A user name like "abc\u202Egpj.exe" would otherwise read backwards on a
 * staff member's screen, and a report field could pose as another.
 */
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** Text as it may be shown to staff: controls and bidirectional overrides removed, everything else kept. */
export function displayText(text: string): string {
  return text.replace(HIDDEN, '')
}
