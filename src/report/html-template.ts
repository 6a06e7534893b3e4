/**
 * A tiny HTML templating helper: a tagged template that escapes every
 * interpolated value unless it was itself made by the helper (or wrapped in
 * `raw()` on purpose). Reports interpolate text read from the machine
 * (command lines, file names, environment values, policy strings), any of
 * which may hold `<script>`, a quote that ends an attribute, `</style>` or a
 * control character; forgetting to escape one is the classic bug, so here
 * escaping is what happens unless a fragment is marked as trusted.
 *
 * Shared by `check --format html` and the fleet summary (`aitool report`).
 *
 *   html`<td title="${path}">${cmd}</td>`      // both escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`  // fragments nest, arrays join
 *   raw(CSS)                                      // a constant of ours, inserted as is
 */

const TRUSTED = Symbol('trusted html');

/** A fragment of HTML that is already safe: made by `html` or marked with `raw`. */
export interface SafeHtml {
  readonly [TRUSTED]: true;
  toString(): string;
}

class Fragment implements SafeHtml {
  readonly [TRUSTED] = true as const;
  constructor(private readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What may be interpolated: text (escaped), numbers, fragments, nothing (`undefined`, `null`, `false` render as ''), and arrays of these. */
export type Interpolation = string | number | SafeHtml | undefined | null | false | readonly Interpolation[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Characters that do not belong in a report as themselves: C0 controls other
 * than tab and newline, DEL and C1 controls (XML 1.0 forbids most of them,
 * browsers show boxes or nothing), the bidirectional controls that make a
 * name read as something else (CVE-2021-42574), the line and paragraph
 * separators, lone surrogates, and U+FFFE/U+FFFF. Each is shown as a visible
 * escape (`\x1b`, `\u202e`), the way the text report shows them.
 */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text made safe as element content and as a quoted attribute value (single or double quotes). */
export function escapeHtml(text: string): string {
  return text.replace(INVISIBLE, visible).replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as Partial<SafeHtml>)[TRUSTED] === true;
}

function render(value: Interpolation): string {
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (isSafe(value)) return value.toString();
  return escapeHtml(String(value));
}

/** The tagged template: literal parts are ours and kept, every interpolation is escaped unless it is a fragment. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Fragment(out);
}

/** Marks a trusted constant (our own CSS, markup we wrote) as safe. Never pass it text from the machine or a policy. */
export function raw(trusted: string): SafeHtml {
  return new Fragment(trusted);
}

/** A link target taken from a policy, if it is a plain http(s) URL: `javascript:` and `data:` never become a link. */
export function httpUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^https?:\/\/[^\s<>"']+$/i.test(url) ? url : undefined;
}
