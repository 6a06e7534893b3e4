/**
 * Turns the text of a data policy file (YAML or JSON) into plain data, with
 * one-line errors that carry line:column. Never executes anything: this is
 * how the managed (organisation) policy is read, and what the project loader
 * hands to cosmiconfig for its YAML and JSON places.
 *
 * `yaml` costs ~35 ms to import, so it is loaded only when a YAML file is parsed.
 */
import { extname } from 'node:path';
import { PolicyError } from '../errors.js';

export type DataFormat = 'json' | 'yaml';

/** YAML for .yaml/.yml and extension-less rc files (cosmiconfig's convention), JSON for .json, otherwise undefined (code). */
export function dataFormatOf(file: string): DataFormat | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml' || ext === '') return 'yaml';
  return undefined;
}

export async function parseData(file: string, text: string, format: DataFormat): Promise<unknown> {
  if (text.trim() === '') return undefined;
  return format === 'json' ? parseJson(file, text) : parseYaml(file, text);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const where = offset === undefined ? '' : ` at ${lineCol(text, offset)}`;
    // V8 appends the offending source ('"{ ... }" is not valid JSON') and a
    // position; both are noise on one line (and the source may hold newlines).
    const detail = oneLine(String((error as Error).message))
      .replace(/, (?:\.\.\.)?".*" is not valid JSON$/, '')
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/ at position \d+.*$/, '');
    throw new PolicyError(file, undefined, `malformed JSON${where}: ${detail}`);
  }
}

async function parseYaml(file: string, text: string): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  // uniqueKeys: a repeated key is almost always a mistake that would silently
  // drop the first rule.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.pos ? ` at ${lineCol(text, first.pos[0])}` : '';
    throw new PolicyError(file, undefined, `malformed YAML${where}: ${oneLine(first.message)}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    throw new PolicyError(file, undefined, `malformed YAML: ${oneLine(String((error as Error).message))}`);
  }
}

/** `line:column`, both 1-based. */
export function lineCol(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return `${line}:${offset - start + 1}`;
}

export function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/**
 * Where JSON.parse gave up. V8 reports a position for some errors but not for
 * "Unexpected token", so a small scanner finds the first offending offset.
 */
function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail();
    i += (literal as RegExpExecArray)[0].length;
  };
  const string = (): void => {
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') i++;
      else if (c !== undefined && c < ' ') fail();
      i++;
    }
    fail();
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (offset) {
    return typeof offset === 'number' ? Math.min(offset, text.length) : undefined;
  }
}
