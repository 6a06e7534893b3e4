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
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    const offset = scanJson(text).errorOffset;
    const where = offset === undefined ? '' : ` at ${lineCol(text, offset)}`;
    // V8 appends the offending source ('"{ ... }" is not valid JSON') and a
    // position; both are noise on one line (and the source may hold newlines).
    const detail = oneLine(String((error as Error).message))
      .replace(/, (?:\.\.\.)?".*" is not valid JSON$/, '')
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/ at position \d+.*$/, '');
    throw new PolicyError(file, undefined, `malformed JSON${where}: ${detail}`);
  }
  // JSON.parse keeps the last of two equal keys; YAML files refuse them, and
  // so must JSON ones (the managed file included), or a repeated key would
  // silently drop the first rule.
  const duplicate = scanJson(text).duplicate;
  if (duplicate) throw new PolicyError(file, undefined, `malformed JSON at ${lineCol(text, duplicate.offset)}: duplicate key '${duplicate.key}'`);
  return data;
}

async function parseYaml(file: string, text: string): Promise<unknown> {
  const { parseDocument, isCollection, isMap, isScalar, visit } = await import('yaml');
  // The library's own uniqueKeys check compares every key with every other
  // (20,000 keys took 3.7 s, a 1 MiB file of keys 105 s); checkMapKeys below
  // does the same job with one Set per mapping.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const where = first.pos ? ` at ${lineCol(text, first.pos[0])}` : '';
    throw new PolicyError(file, undefined, `malformed YAML${where}: ${oneLine(first.message)}`);
  }
  let problem: { offset: number | undefined; message: string } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const item of map.items) {
        const key = item.key;
        const offset = (key as { range?: [number, number, number] } | null)?.range?.[0];
        // A mapping or list as a key (`? [a, b]`) has no meaning in a policy, and
        // converting it makes the library print a warning on stderr.
        if (isCollection(key) || (key !== null && !isScalar(key))) {
          problem = { offset, message: 'a key must be plain text, not a mapping or list' };
          return visit.BREAK;
        }
        const name = String(isScalar(key) ? key.value : key);
        // A repeated key is almost always a mistake that would silently drop the first rule.
        if (seen.has(name)) {
          problem = { offset, message: `duplicate key '${name}'` };
          return visit.BREAK;
        }
        seen.add(name);
      }
      return isMap(map) ? undefined : visit.SKIP;
    },
  });
  if (problem) {
    const where = problem.offset === undefined ? '' : ` at ${lineCol(text, problem.offset)}`;
    throw new PolicyError(file, undefined, `malformed YAML${where}: ${problem.message}`);
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

interface JsonScan {
  /** Where the text stops being JSON. */
  errorOffset?: number;
  /** The first key repeated within one object. */
  duplicate?: { key: string; offset: number };
}

/**
 * One pass over JSON text: where JSON.parse gave up (V8 reports a position for
 * some errors but not for "Unexpected token"), and the first repeated key in
 * an object (JSON.parse silently keeps the last). Linear in the text: one Set
 * of keys per open object.
 */
function scanJson(text: string): JsonScan {
  let i = 0;
  let duplicate: JsonScan['duplicate'];
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
      const keys = new Set<string>();
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const keyStart = i;
        string();
        if (duplicate === undefined) {
          // Compared decoded, so "a" and "\u0061" are the same key.
          const key = JSON.parse(text.slice(keyStart, i)) as string;
          if (keys.has(key)) duplicate = { key, offset: keyStart };
          keys.add(key);
        }
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
    return i < text.length ? { errorOffset: i, duplicate } : { duplicate };
  } catch (offset) {
    // A number is where the text went wrong; anything else (a stack overflow
    // on absurd nesting) leaves the position unknown.
    return typeof offset === 'number' ? { errorOffset: Math.min(offset, text.length), duplicate } : { duplicate };
  }
}
