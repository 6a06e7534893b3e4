/**
 * Agent SDKs a repository declares: the manifests and lockfiles of npm
 * (package.json, package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml,
 * yarn.lock v1 and berry, bun.lock), Python (requirements*.txt,
 * pyproject.toml, Pipfile, Pipfile.lock, uv.lock, poetry.lock) and Go
 * (go.mod). Pure: text in, declarations out, so every format is a table test.
 *
 * Only the exact names asked for count, in their own ecosystem: an npm
 * dependency called `claude` or a PyPI `codex` is nobody's SDK, and a comment
 * that mentions one declares nothing. Lockfiles are scanned line by line in
 * one pass (they are written one entry per line by their tools), so a
 * 30 MB package-lock.json costs a split and a regular expression per line,
 * not a JSON tree. bun.lockb is binary and is not parsed: bun >= 1.2 writes
 * the text bun.lock, and the repo scanner notes a lone bun.lockb.
 */
import { normalizePipName } from './probes.js';
import type { DependencyEcosystem } from '../types.js';

/** The SDK package names to look for, per ecosystem (pip names normalised, PEP 503). */
export interface WantedPackages {
  npm: ReadonlySet<string>;
  pip: ReadonlySet<string>;
  go: ReadonlySet<string>;
}

export interface Declaration {
  line: number;
  ecosystem: DependencyEcosystem;
  name: string;
  spec?: string;
  field: string;
  /** package.json: the name it is installed under when that is an npm alias (`"my-sdk": "npm:<name>@^1"`). */
  alias?: string;
}

export type ManifestFormat =
  | 'package.json'
  | 'npm-lock'
  | 'pnpm-lock'
  | 'yarn-lock'
  | 'bun-lock'
  | 'requirements'
  | 'pyproject'
  | 'pipfile'
  | 'pipfile-lock'
  | 'toml-lock'
  | 'go.mod';

const BY_NAME: Record<string, ManifestFormat> = {
  'package.json': 'package.json',
  'package-lock.json': 'npm-lock',
  'npm-shrinkwrap.json': 'npm-lock',
  'pnpm-lock.yaml': 'pnpm-lock',
  'yarn.lock': 'yarn-lock',
  'bun.lock': 'bun-lock',
  'pyproject.toml': 'pyproject',
  Pipfile: 'pipfile',
  'Pipfile.lock': 'pipfile-lock',
  'uv.lock': 'toml-lock',
  'poetry.lock': 'toml-lock',
  'go.mod': 'go.mod',
};

/**
 * The format of a repository file, by its name; undefined for anything else.
 * Files inside `node_modules` (a vendored package's own manifest) or a
 * virtual environment declare their packages' dependencies, not the repository's.
 */
export function manifestFormat(file: string): ManifestFormat | undefined {
  const segments = file.split('/');
  if (segments.some((s) => s === 'node_modules' || s === 'site-packages')) return undefined;
  const base = segments.at(-1)!;
  if (/^requirements[\w.-]*\.(?:txt|in)$/i.test(base)) return 'requirements';
  return Object.hasOwn(BY_NAME, base) ? BY_NAME[base] : undefined;
}

const PACKAGE_JSON_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** Splits text into lines once; `\r\n` endings keep their `\r` off the line. */
function lines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `npm:@scope/name@range` (an npm alias, `"my-name": "npm:real@^1"`): the real name and range. */
function npmAlias(spec: string): { name: string; spec: string } | undefined {
  if (!spec.startsWith('npm:')) return undefined;
  const body = spec.slice(4);
  const at = body.indexOf('@', body.startsWith('@') ? 1 : 0);
  return at === -1 ? { name: body, spec: '*' } : { name: body.slice(0, at), spec: body.slice(at + 1) };
}

/** package.json: the four dependency fields, npm aliases resolved to the package they install. */
export function parsePackageJson(text: string, wanted: WantedPackages): Declaration[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return [];
  }
  if (!manifest || typeof manifest !== 'object') return [];
  const found: Declaration[] = [];
  for (const field of PACKAGE_JSON_FIELDS) {
    const deps = (manifest as Record<string, unknown>)[field];
    if (!deps || typeof deps !== 'object') continue;
    for (const [key, value] of Object.entries(deps as Record<string, unknown>)) {
      const declared = typeof value === 'string' ? value : undefined;
      const alias = declared ? npmAlias(declared) : undefined;
      const name = alias?.name ?? key;
      if (!wanted.npm.has(name)) continue;
      // The line: the key after its field's key (JSON.parse gives no positions; a minified file is line 1).
      const fieldAt = text.search(new RegExp(`"${escapeRegExp(field)}"\\s*:`));
      const keyMatch = new RegExp(`"${escapeRegExp(key)}"\\s*:`, 'g');
      keyMatch.lastIndex = Math.max(fieldAt, 0);
      const at = keyMatch.exec(text)?.index ?? fieldAt;
      const spec = alias?.spec ?? declared;
      found.push({ line: at < 0 ? 1 : lineAt(text, at), ecosystem: 'npm', name, ...(spec ? { spec } : {}), field, ...(alias ? { alias: key } : {}) });
    }
  }
  return found;
}

const JSON_KEY = /^\s*"((?:[^"\\]|\\.)*)"\s*:\s*(.*)$/;
const JSON_VERSION = /^\s*"version"\s*:\s*"([^"]*)"/;

/**
 * JSON lockfiles, one key per line: package-lock.json (`"node_modules/<name>": {`
 * in v2/v3, `"<name>": {` in v1), bun.lock (`"<name>": ["<name>@<version>", ...]`)
 * and Pipfile.lock (`"<name>": { ... "version": "==1.0" }`). The version is on
 * the key's line (bun) or in a `"version"` line just below it.
 */
function scanJsonLock(text: string, ecosystem: 'npm' | 'pip', isWanted: (name: string) => boolean): Declaration[] {
  const found: Declaration[] = [];
  const seen = new Set<string>();
  let pending: { declaration: Declaration; until: number } | undefined;
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (pending && i <= pending.until) {
      const version = JSON_VERSION.exec(line);
      if (version) {
        pending.declaration.spec = version[1]!;
        pending = undefined;
        continue;
      }
    }
    const key = JSON_KEY.exec(line);
    if (!key) continue;
    const rawName = key[1]!;
    const nested = rawName.lastIndexOf('node_modules/');
    const name = nested === -1 ? rawName : rawName.slice(nested + 'node_modules/'.length);
    if (!isWanted(name) || seen.has(name)) continue;
    const value = key[2]!;
    // A string value is a range someone else declares (`requires`, the root's
    // own dependencies, a workspace's): package.json reports the declaration.
    if (value.startsWith('"') && ecosystem === 'npm' && !value.startsWith('["')) continue;
    seen.add(name);
    const declaration: Declaration = { line: i + 1, ecosystem, name, field: 'lockfile' };
    const bun = /^\["((?:[^"\\]|\\.)*)"/.exec(value);
    if (bun) {
      const at = bun[1]!.lastIndexOf('@');
      if (at > 0) declaration.spec = bun[1]!.slice(at + 1);
    } else pending = { declaration, until: i + 8 };
    found.push(declaration);
  }
  return found;
}

/** `@scope/name@range` or `name@range`: the name (the `@` of a scope is not a separator). */
function splitAt(descriptor: string): { name: string; rest?: string } {
  const at = descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0);
  return at === -1 ? { name: descriptor } : { name: descriptor.slice(0, at), rest: descriptor.slice(at + 1) };
}

const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, '$2');

/**
 * pnpm-lock.yaml, every version: package keys (`/name@1.0.0:` v6,
 * `/name/1.0.0:` v5, `'name@1.0.0':` v9, with peer suffixes `(zod@4)`) and
 * importer keys (`'name':` followed by `specifier:` / `version:`, or
 * `name: 1.0.0` in v5).
 */
function parsePnpmLock(text: string, wanted: WantedPackages): Declaration[] {
  const found: Declaration[] = [];
  const seen = new Set<string>();
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const match = /^\s+('[^']+'|"[^"]+"|[^\s:'"][^:]*?):(?:\s+(.*))?$/.exec(all[i]!);
    if (!match) continue;
    const key = unquote(match[1]!).replace(/^\//, '').replace(/\(.*$/, '');
    const value = match[2]?.trim();
    let name: string | undefined;
    let spec: string | undefined;
    const { name: beforeAt, rest } = splitAt(key);
    if (wanted.npm.has(beforeAt)) {
      name = beforeAt;
      spec = rest;
    } else {
      // v5: `/@scope/name/1.0.0`
      const slash = key.lastIndexOf('/');
      if (slash > 0 && wanted.npm.has(key.slice(0, slash))) {
        name = key.slice(0, slash);
        spec = key.slice(slash + 1);
      }
    }
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    if (spec === undefined && value) spec = unquote(value).replace(/\(.*$/, '');
    if (spec === undefined) {
      const next = /^\s+(?:specifier|version):\s*(.+)$/.exec(all[i + 1] ?? '');
      if (next) spec = unquote(next[1]!);
    }
    found.push({ line: i + 1, ecosystem: 'npm', name, ...(spec ? { spec } : {}), field: 'lockfile' });
  }
  return found;
}

/**
 * yarn.lock, classic (`"name@^1", name@^1.2:` then `  version "1.2.3"`) and
 * berry (`"name@npm:^1":` then `  version: 1.2.3`): entry keys start at
 * column 0, and the resolved version follows within the entry.
 */
function parseYarnLock(text: string, wanted: WantedPackages): Declaration[] {
  const found: Declaration[] = [];
  const seen = new Set<string>();
  let pending: Declaration | undefined;
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (line.startsWith(' ')) {
      const version = pending && /^\s+version:?\s+"?([^"\s]+)"?/.exec(line);
      if (version && pending) {
        pending.spec = version[1]!;
        pending = undefined;
      }
      continue;
    }
    pending = undefined;
    if (line === '' || line.startsWith('#') || !line.endsWith(':')) continue;
    for (const descriptor of line.slice(0, -1).split(',')) {
      const { name, rest } = splitAt(unquote(descriptor));
      if (!wanted.npm.has(name) || seen.has(name)) continue;
      seen.add(name);
      pending = { line: i + 1, ecosystem: 'npm', name, ...(rest ? { spec: rest.replace(/^npm:/, '') } : {}), field: 'lockfile' };
      found.push(pending);
      break;
    }
  }
  return found;
}

/** A PEP 508 requirement (`name[extra] >=1 ; marker`): the name as written and the version part. */
function requirement(text: string): { name: string; spec?: string } | undefined {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*([^;#]*)/.exec(text);
  if (!match) return undefined;
  const spec = match[2]!.trim();
  return { name: match[1]!, ...(spec ? { spec } : {}) };
}

function parseRequirements(text: string, wanted: WantedPackages): Declaration[] {
  const found: Declaration[] = [];
  lines(text).forEach((line, i) => {
    const body = line.replace(/(^|\s)#.*$/, '').trim();
    // Options (`-r other.txt`, `-e .`, `--hash`) and URLs are not requirements by name.
    if (body === '' || body.startsWith('-') || /^[a-z+]+:\/\//i.test(body)) return;
    const req = requirement(body);
    if (req && wanted.pip.has(normalizePipName(req.name))) {
      found.push({ line: i + 1, ecosystem: 'pip', name: req.name, ...(req.spec ? { spec: req.spec } : {}), field: 'require' });
    }
  });
  return found;
}

const TOML_HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/;
const TOML_KEY = /^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=\s*(.*)$/;
const TOML_STRINGS = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;

/** The TOML tables whose keys are package names (Poetry, Pipfile). */
function isNamedTable(table: string, format: 'pyproject' | 'pipfile'): boolean {
  // Pipfile: `packages`, `dev-packages` and custom package categories; not its settings tables.
  if (format === 'pipfile') return !table.includes('.') && !['requires', 'source', 'scripts', 'pipenv'].includes(table);
  return /^tool\.poetry\.(?:dependencies|dev-dependencies|group\.[^.]+\.dependencies)$/.test(table);
}

/** Where a key opens an array of PEP 508 strings: its field name, else undefined. */
function arrayField(table: string, key: string): string | undefined {
  if (table === 'project' && key === 'dependencies') return 'project.dependencies';
  if (table === 'project.optional-dependencies') return `project.optional-dependencies.${key}`;
  if (table === 'dependency-groups') return `dependency-groups.${key}`;
  if (table === 'tool.uv' && key === 'dev-dependencies') return 'tool.uv.dev-dependencies';
  return undefined;
}

/** A Poetry or Pipfile value: `"^1.0"`, or `{ version = "^1.0", extras = [...] }`. */
function tomlSpec(value: string): string | undefined {
  const plain = /^(["'])(.*?)\1/.exec(value.trim());
  if (plain) return plain[2];
  return /version\s*=\s*(["'])(.*?)\1/.exec(value)?.[2];
}

/** pyproject.toml (PEP 621, PEP 735, uv, Poetry) and Pipfile, line by line. */
function parseToml(text: string, wanted: WantedPackages, format: 'pyproject' | 'pipfile'): Declaration[] {
  const found: Declaration[] = [];
  let table = '';
  let array: string | undefined;
  const take = (line: number, name: string, spec: string | undefined, field: string) => {
    if (wanted.pip.has(normalizePipName(name))) found.push({ line, ecosystem: 'pip', name, ...(spec ? { spec } : {}), field });
  };
  const scanArray = (line: string, number: number, field: string): boolean => {
    for (const m of line.matchAll(TOML_STRINGS)) {
      const req = requirement(m[1] ?? m[2] ?? '');
      if (req) take(number, req.name, req.spec, field);
    }
    // The array ends at a `]` outside its strings.
    return line.replace(TOML_STRINGS, '').replace(/#.*$/, '').includes(']');
  };
  lines(text).forEach((line, i) => {
    if (array !== undefined) {
      if (scanArray(line, i + 1, array)) array = undefined;
      return;
    }
    const header = TOML_HEADER.exec(line);
    if (header) {
      table = header[1]!.replace(/\s*\.\s*/g, '.').replace(/"/g, '');
      return;
    }
    const key = TOML_KEY.exec(line);
    if (!key) return;
    const name = key[1] ?? key[2] ?? key[3]!;
    const value = key[4]!;
    const field = format === 'pyproject' ? arrayField(table, name) : undefined;
    if (field !== undefined && value.trimStart().startsWith('[')) {
      if (!scanArray(value.trimStart().slice(1), i + 1, field)) array = field;
      return;
    }
    if (isNamedTable(table, format) && name !== 'python') take(i + 1, name, tomlSpec(value), table);
  });
  return found;
}

/** uv.lock and poetry.lock: `[[package]]` then `name = "..."` and `version = "..."`. */
function parseTomlLock(text: string, wanted: WantedPackages): Declaration[] {
  const found: Declaration[] = [];
  let inPackage = false;
  let pending: Declaration | undefined;
  lines(text).forEach((line, i) => {
    const header = TOML_HEADER.exec(line);
    if (header) {
      inPackage = /^\s*\[\[\s*package\s*\]\]/.test(line);
      pending = undefined;
      return;
    }
    if (!inPackage) return;
    const name = /^name\s*=\s*"([^"]+)"/.exec(line);
    if (name && wanted.pip.has(normalizePipName(name[1]!)) && !found.some((d) => normalizePipName(d.name) === normalizePipName(name[1]!))) {
      pending = { line: i + 1, ecosystem: 'pip', name: name[1]!, field: 'lockfile' };
      found.push(pending);
      return;
    }
    const version = /^version\s*=\s*"([^"]+)"/.exec(line);
    if (version && pending) {
      pending.spec = version[1]!;
      pending = undefined;
    }
  });
  return found;
}

/** go.mod: `require path version` and the lines of `require ( ... )`; `/vN` major-version suffixes are the same module. */
function parseGoMod(text: string, wanted: WantedPackages): Declaration[] {
  const found: Declaration[] = [];
  let block = false;
  lines(text).forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (block && line === ')') {
      block = false;
      return;
    }
    let body: string | undefined;
    if (block) body = line;
    else if (/^require\s*\($/.test(line)) block = true;
    else if (line.startsWith('require ')) body = line.slice('require '.length).trim();
    if (!body) return;
    const [path, version] = body.split(/\s+/);
    if (!path) return;
    const module = path.replace(/\/v\d+$/, '');
    if (wanted.go.has(module)) {
      found.push({ line: i + 1, ecosystem: 'go', name: path, ...(version ? { spec: version } : {}), field: raw.includes('// indirect') ? 'require (indirect)' : 'require' });
    }
  });
  return found;
}

/** Every declaration of a wanted package in one file of the given format. */
export function parseManifest(format: ManifestFormat, text: string, wanted: WantedPackages): Declaration[] {
  switch (format) {
    case 'package.json':
      return parsePackageJson(text, wanted);
    case 'npm-lock':
    case 'bun-lock':
      return scanJsonLock(text, 'npm', (name) => wanted.npm.has(name));
    case 'pipfile-lock':
      return scanJsonLock(text, 'pip', (name) => wanted.pip.has(normalizePipName(name)));
    case 'pnpm-lock':
      return parsePnpmLock(text, wanted);
    case 'yarn-lock':
      return parseYarnLock(text, wanted);
    case 'requirements':
      return parseRequirements(text, wanted);
    case 'pyproject':
      return parseToml(text, wanted, 'pyproject');
    case 'pipfile':
      return parseToml(text, wanted, 'pipfile');
    case 'toml-lock':
      return parseTomlLock(text, wanted);
    case 'go.mod':
      return parseGoMod(text, wanted);
  }
}
