/**
 * JSON with comments and trailing commas, as VS Code, Zed and their forks
 * write their settings and mcp.json files. Plain JSON goes straight to
 * JSON.parse; only text it rejects is cleaned (comments and trailing commas
 * outside strings become spaces, so positions in error messages still hold)
 * and parsed again.
 */

/** Replaces `//` and `/* *\/` comments outside strings with spaces (newlines kept). */
export function stripJsonComments(text: string): string {
  let out = '';
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (char !== '/') continue;
    const next = text[i + 1];
    if (next !== '/' && next !== '*') continue;
    let end: number;
    if (next === '/') {
      end = text.indexOf('\n', i + 2);
      if (end < 0) end = text.length;
    } else {
      const close = text.indexOf('*/', i + 2);
      end = close < 0 ? text.length : close + 2;
    }
    out += text.slice(start, i) + text.slice(i, end).replace(/[^\r\n]/g, ' ');
    start = end;
    i = end - 1;
  }
  return out + text.slice(start);
}

/**
 * Replaces a comma that follows a value and directly precedes `}` or `]`
 * (whitespace between allowed) outside strings with a space. `{,}` and
 * `[1,,]` stay as they are, and invalid.
 */
export function stripTrailingCommas(text: string): string {
  let out = '';
  let start = 0;
  let inString = false;
  // The last character outside whitespace, before the current one.
  let previous = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') {
        inString = false;
        previous = '"';
      }
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (/\s/.test(char)) continue;
    const after = previous;
    previous = char;
    if (char !== ',' || after === '' || after === '{' || after === '[' || after === ',') continue;
    let j = i + 1;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (text[j] === '}' || text[j] === ']') {
      out += `${text.slice(start, i)} `;
      start = i + 1;
    }
  }
  return out + text.slice(start);
}

/**
 * Parses JSON that may hold comments and trailing commas (and a leading byte
 * order mark). Throws a SyntaxError, as JSON.parse does, when it is still not JSON.
 */
export function parseJsonc(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {
    return JSON.parse(stripTrailingCommas(stripJsonComments(body)));
  }
}
