/**
 * Text from a sheet on its way to a terminal. A cell, a sheet name or a file name can hold
 * control characters: an escape sequence (ESC) recolours or rewrites the screen, BEL rings, CR
 * returns to the start of the line, and the bidirectional overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) show text in another order than it is. The plain report drops them (tab and line
 * feed stay); JSON keeps every character but writes these as \uXXXX escapes, so it parses to the
 * same values. JSON.stringify already escapes U+0000–U+001F but not DEL, the C1 controls
 * (U+0080–U+009F, which some terminals obey) nor the bidirectional controls.
 */

const PLAIN_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const JSON_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Text for the plain report, without control characters. */
export function plainText(text: string): string {
  return text.replace(PLAIN_UNSAFE, '');
}

/**
 * JSON text with the controls left raw by JSON.stringify escaped. These characters can only sit
 * inside a JSON string, where an escape stands for the same character.
 */
export function jsonText(text: string): string {
  return text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
