/**
 * Text read from the machine (command lines, file names, environment values,
 * commit messages, texts from policy files below the managed layer) is
 * untrusted: shown raw, an ESC or CR in it can erase, move or overwrite lines
 * of aitool's own output (a process whose argv holds `\r\x1b[2K✔ aitool: no AI
 * tools found` would replace a hook's refusal on the terminal). Text output
 * passes every such value through `printable()` where it is interpolated, so
 * what reaches the terminal is only the formatter's own newlines and colours.
 * JSON, NDJSON and SARIF are not passed through here: they keep the exact
 * value (JSON.stringify escapes C0 itself, and a program reads those).
 *
 * Escaped, each as a visible sequence (`\x1b`, `\r`, `\u202e`):
 * - C0 controls (U+0000–U+001F) including newline and tab: in a value a newline
 *   would start a line aitool did not write, and a tab moves the cursor;
 * - DEL (U+007F) and the C1 controls (U+0080–U+009F): U+009B is CSI on
 *   terminals that take 8-bit controls, U+009D OSC (hyperlinks, titles);
 * - the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 *   U+2066–U+2069) and marks (U+200E, U+200F, U+061C): they reorder the rest
 *   of the line on screen, so a name can read as something it is not
 *   ("Trojan Source", CVE-2021-42574);
 * - the line and paragraph separators (U+2028, U+2029): web log viewers (CI)
 *   break lines on them.
 * Backslashes are left as they are: a Windows path stays readable, and a
 * value that literally contains `\x1b` cannot move the cursor either.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const short = SHORT[char];
  if (short) return short;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One value read from the machine, made safe to print inside a line of text output. */
export function printable(value: string | undefined): string {
  return value === undefined ? '' : value.replace(UNSAFE, visible);
}

/**
 * A whole block of plain (uncoloured) text whose values were not escaped one
 * by one (what the hook installer or an export says): its own newlines and
 * tabs stay, every other control character is escaped. Weaker than
 * `printable()` per value, since a newline inside a value still breaks the
 * line, but nothing can move the cursor or erase what came before.
 */
export function printableText(text: string): string {
  return text.replace(UNSAFE_EXCEPT_LINE_BREAKS, visible);
}
