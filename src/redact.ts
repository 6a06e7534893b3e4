/**
 * How an environment value is shown. Environments hold tokens, and a marker
 * variable's value is whatever the process was given (a planted or leaked
 * secret included), so no value read from an environment is ever reported
 * whole: a finding keeps the variable's name, the first characters of the
 * value and its length; a name that looks like it holds a secret keeps only
 * the length. Applied where a detection is made, so every output format
 * (text, JSON, NDJSON, SARIF, watch events) gets the same redacted value.
 */

/** Up to this many characters are short enough to be shown (`1`, `true`, `cli`): no secret fits. */
const SHOWN_WHOLE_MAX = 4;
const SHOWN_PREFIX = 4;
const SECRET_NAME = /TOKEN|SECRET|PASSW|PASSPHRASE|CREDENTIAL|COOKIE|PRIVATE|AUTH|(^|_)KEY($|_)|API_?KEY/i;

export function redactValue(name: string, value: string): string {
  if (SECRET_NAME.test(name)) return `<redacted, ${value.length} chars>`;
  if (value.length <= SHOWN_WHOLE_MAX) return value;
  return `${value.slice(0, SHOWN_PREFIX)}…<${value.length} chars>`;
}

/** `NAME=<redacted value>`, as evidence words. */
export function redactedAssignment(name: string, value: string): string {
  return `${name}=${redactValue(name, value)}`;
}
