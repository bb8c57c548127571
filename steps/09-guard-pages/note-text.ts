// What a note may say: 1 to 500 characters, counted as Unicode code points (what a reader sees
// as one character, an emoji included; JavaScript's .length counts UTF-16 units, 2 an emoji).
export const MAX_NOTE_LENGTH = 500;
export const NOTE_TEXT_RULE = `A note needs 1 to ${MAX_NOTE_LENGTH} characters.`;

// #region note-text
/** The note's text, or null when it breaks the rule (empty, only spaces, too long, not text). */
export function noteText(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  return [...value].length <= MAX_NOTE_LENGTH ? value : null;
}
// #endregion note-text
