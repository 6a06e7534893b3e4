/**
 * osquery rows built from each catalog entry's signatures: for every tool and
 * platform, rows that must be found (one fixture per signature value), and
 * decoys that must not be. Paths come from aitool's own pattern code
 * (src/patterns.ts), and each fixture and decoy is first put through
 * aitool's own matchers (src/match), so "must match" means "aitool check
 * finds the tool in this": the export is held to aitool's behaviour, not to
 * what the export's SQL happens to say.
 */
import type { OperatingSystem, ToolEntry } from '../../src/catalog/schema.js';
import type { Platform } from '../../src/export/sql.js';
import { compileCatalog, type CompiledCatalog, type CompiledTool } from '../../src/match/compile.js';
import { matchApp, matchBrowserExtension, matchExtension, matchPackage } from '../../src/match/installed.js';
import { matchProcess } from '../../src/match/running.js';
import { compilePathPattern, expandAnchor, toSlashes, type PatternEnvironment } from '../../src/patterns.js';
import { interpreterOf, interpreterTarget } from '../../src/scanners/processes.js';
import type { PackageManager, ProcessObservation } from '../../src/types.js';
import type { Row, TableRow } from './osquery-db.js';

export const OS: Record<Platform, OperatingSystem> = { darwin: 'macos', linux: 'linux', windows: 'windows' };
/** Alice's home as aitool's patterns see it (forward slashes) on each platform. */
export const HOMES: Record<Platform, string> = { darwin: '/Users/alice', linux: '/home/alice', windows: 'C:/Users/alice' };
const ALICE = 1000;

export interface Fixture {
  tool: string;
  platform: Platform;
  label: string;
  rows: TableRow[];
}

export const where = (platform: Platform): PatternEnvironment => ({ os: OS[platform], home: HOMES[platform], env: {} });
/** A path as osquery reports it: backslashes on Windows. */
export const native = (path: string, platform: Platform) => (platform === 'windows' ? path.replace(/\//g, '\\') : path);

let pid = 1000;
function proc(name: string, path: string, cmdline: string): TableRow {
  pid += 1;
  return { table: 'processes', row: { pid, name, path, cmdline, uid: ALICE, parent: 1, on_disk: 1 } };
}

function file(path: string, platform: Platform): TableRow {
  const nativePath = native(path, platform);
  const cut = Math.max(nativePath.lastIndexOf('/'), nativePath.lastIndexOf('\\'));
  return { table: 'file', row: { path: nativePath, directory: nativePath.slice(0, cut), filename: nativePath.slice(cut + 1), type: 'directory', uid: ALICE } };
}

// ---------------------------------------------------------------------------
// aitool as the oracle
// ---------------------------------------------------------------------------

/** The process observation aitool's scanner would make of an osquery processes row (script unresolved). */
function observe(row: Row): ProcessObservation {
  const cmd = String(row.cmdline);
  const argv = cmd.split(' ').filter((part) => part !== '');
  const exe = String(row.path);
  const observation: ProcessObservation = { kind: 'process', pid: Number(row.pid), ppid: 1, name: String(row.name), cmd, argv, exe, packages: [], ancestors: [] };
  const interpreter = interpreterOf(exe) ?? (argv[0] === undefined ? undefined : interpreterOf(argv[0]));
  if (interpreter) {
    const target = interpreterTarget(interpreter, argv);
    if (target.module !== undefined) observation.module = target.module;
    if (target.script !== undefined) {
      observation.scriptArg = target.script;
      observation.script = target.script;
    }
  }
  return observation;
}

/** The tools aitool finds in an osquery row, where aitool reads the same thing; undefined where it has no matcher for it. */
export function aitoolFinds(catalog: CompiledCatalog, { table, row }: TableRow): string[] | undefined {
  const ids = (detections: Array<{ tool: string }>) => [...new Set(detections.map((d) => d.tool))].sort();
  const pkg = (manager: PackageManager) => ids(matchPackage({ kind: 'package', manager, name: String(row.name), path: String(row.path ?? '/x') }, catalog));
  switch (table) {
    case 'processes':
      return ids(catalog.tools.flatMap((tool) => matchProcess(observe(row), tool) ?? []));
    case 'npm_packages':
      return pkg('npm');
    case 'python_packages':
      return pkg('pip');
    case 'deb_packages':
      return pkg('deb');
    case 'rpm_packages':
      return pkg('rpm');
    case 'homebrew_packages':
      return pkg(row.type === 'cask' ? 'brew-cask' : 'brew');
    case 'vscode_extensions':
      return ids(matchExtension({ kind: 'extension', family: 'vscode', editor: 'VS Code', id: String(row.name), path: String(row.path ?? '/x') }, catalog));
    case 'chrome_extensions':
      return ids(matchBrowserExtension({ kind: 'browser-extension', family: 'chromium', browser: 'Chrome', profile: 'Default', id: String(row.identifier), path: String(row.path ?? '/x') }, catalog));
    case 'firefox_addons':
      return ids(matchBrowserExtension({ kind: 'browser-extension', family: 'firefox', browser: 'Firefox', profile: 'default', id: String(row.identifier), path: String(row.path ?? '/x') }, catalog));
    case 'apps':
      return ids(matchApp({ kind: 'app', source: 'bundle', name: String(row.name), bundleId: String(row.bundle_identifier ?? ''), path: String(row.path) }, catalog));
    case 'programs':
      return ids(matchApp({ kind: 'app', source: 'registry', name: String(row.name), displayName: String(row.name), path: 'HKLM' }, catalog));
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// Paths from patterns
// ---------------------------------------------------------------------------

/**
 * A concrete path a catalog pattern matches on a platform (undefined where the
 * pattern's anchor does not exist there): anchors expanded by aitool, an
 * unanchored pattern put under some folder, wildcards filled in. Checked
 * against aitool's compiled pattern, so a fixture path is one aitool matches.
 */
export function concrete(pattern: string, platform: Platform, under = platform === 'windows' ? 'C:/Tools' : '/opt/tools'): string | undefined {
  const expanded = expandAnchor(toSlashes(pattern), where(platform));
  // A root path (`/Applications/...`) cannot exist on Windows, nor a drive path elsewhere.
  if (expanded === undefined || (platform === 'windows' ? expanded.startsWith('/') : /^[A-Za-z]:\//.test(expanded))) return undefined;
  const anchored = expanded.startsWith('/') || /^[A-Za-z]:\//.test(expanded);
  const path = (anchored ? expanded : `${under}/${expanded}`)
    .replace(/\/\*\*$/, '')
    .replace(/\*\*/g, 'deep/er')
    .replace(/\{version\}/g, '1.2.3')
    .replace(/\*/g, 'x64');
  const compiled = compilePathPattern(pattern, where(platform));
  if (!compiled?.match(path)) throw new Error(`fixture path ${path} does not match ${pattern} on ${platform}`);
  return path;
}

/** A string the regular expression matches, for the subset aitool's catalog uses; undefined past it. */
export function exampleFor(source: string): string | undefined {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if ((c === '^' && i === 0) || (c === '$' && i === source.length - 1)) continue;
    if (c === '\\') {
      const next = source[++i];
      if (next === 'b') continue;
      out += next === 'w' ? 'a' : next === 'd' ? '1' : next === 's' ? ' ' : (next ?? '');
    } else if (c === '.') out += 'x';
    else if (c === '[') {
      const close = source.indexOf(']', i + 2);
      const inside = source.slice(i + 1, close).replace(/^\^/, '');
      out += source[i + 1] === '^' ? '#' : inside[0];
      i = close;
    } else if (c === '{') i = source.indexOf('}', i);
    else if ('*+?'.includes(c)) continue;
    else if ('(|)'.includes(c)) return undefined;
    else out += c;
  }
  return new RegExp(source).test(out) ? out : undefined;
}

// ---------------------------------------------------------------------------
// Fixtures: rows that must be found
// ---------------------------------------------------------------------------

function processFixtures(tool: ToolEntry, compiled: CompiledTool, platform: Platform): Array<{ label: string; rows: TableRow[] }> {
  const windows = platform === 'windows';
  const out: Array<{ label: string; rows: TableRow[] }> = [];
  const { processes, executables } = tool.signatures;
  // The names as the catalog writes them (`Cursor`), so the queries' case folding is exercised.
  const names = [...new Set([...(processes?.names ?? []), ...(executables ?? []).map((e) => e.name)])].filter(
    (n) => !compiled.ambiguousProcessNames.has(n.toLowerCase()),
  );
  for (const n of names) {
    out.push({
      label: `process named ${n}`,
      rows: [windows ? proc(`${n}.exe`, 'C:\\Program Files\\Vendor\\helper.exe', `${n}.exe --serve`) : proc(n, '/opt/vendor/libexec/helper', `${n} --serve`)],
    });
    if (platform === 'linux' && n.length > 15) {
      out.push({ label: `process ${n} with its name cut to 15 bytes`, rows: [proc(n.slice(0, 15), `/usr/local/bin/${n}`, `/usr/local/bin/${n}`)] });
    }
    if (/^[\w.-]+$/.test(n)) {
      out.push({
        label: `script ${n} run by node`,
        rows: [
          windows
            ? proc('node.exe', 'C:\\Program Files\\nodejs\\node.exe', `node.exe C:\\Users\\alice\\AppData\\Roaming\\npm\\${n} --help`)
            : proc('node', '/usr/bin/node', `node /usr/local/bin/${n} --help`),
        ],
      });
      if (!n.includes('.')) out.push({
        label: `python -m ${n}`,
        rows: [windows ? proc('python.exe', 'C:\\Python312\\python.exe', `python.exe -m ${n}`) : proc('python3', '/usr/bin/python3', `python3 -m ${n} --yes`)],
      });
    }
  }
  for (const proof of compiled.proofs) {
    const base = concrete(proof.pattern.source, platform);
    if (base === undefined) continue;
    // Windows paths ignore case: the executable is written in upper case to prove the query folds it.
    const exe = windows ? native(`${base}/bin/HELPER.EXE`, platform).toUpperCase() : `${base}/bin/helper`;
    out.push({ label: `executable inside ${proof.pattern.source}`, rows: [proc(windows ? 'HELPER.EXE' : 'helper', exe, windows ? 'HELPER.EXE' : 'helper')] });
    // A command line is split at spaces, as aitool splits one it cannot read as argv: a path with a space is no script argument.
    if (base.includes(' ')) continue;
    const script = native(`${base}/dist/cli.js`, platform);
    out.push({
      label: `script inside ${proof.pattern.source}`,
      rows: [windows ? proc('node.exe', 'C:\\Program Files\\nodejs\\node.exe', `node.exe ${script}`) : proc('node', '/usr/bin/node', `node ${script}`)],
    });
  }
  for (const regex of compiled.args) {
    const example = exampleFor(regex.source);
    if (example === undefined) continue;
    out.push({
      label: `command line /${regex.source}/`,
      rows: [windows ? proc('cmd.exe', 'C:\\Windows\\System32\\cmd.exe', `cmd.exe /c ${example} --x`) : proc('bash', '/bin/bash', `bash -c ${example} --x`)],
    });
  }
  return out;
}

function packageFixtures(tool: ToolEntry, platform: Platform): Array<{ label: string; rows: TableRow[] }> {
  const p = tool.signatures.packages ?? {};
  const home = HOMES[platform];
  const out: Array<{ label: string; rows: TableRow[] }> = [];
  const one = (label: string, row: TableRow) => out.push({ label, rows: [row] });
  const npmRoot = platform === 'windows' ? 'C:\\Users\\alice\\AppData\\Roaming\\npm' : '/usr/local/lib';
  for (const name of p.npm ?? []) one(`npm ${name}`, { table: 'npm_packages', row: { name, version: '1.0.0', path: `${npmRoot}/node_modules/${name}`, directory: npmRoot } });
  for (const name of p.pip ?? []) {
    // pip names are compared normalised: the row is written as another spelling of the same name.
    const spelled = name.replace(/-/g, '_').replace(/^./, (c) => c.toUpperCase());
    one(`pip ${name} (as ${spelled})`, { table: 'python_packages', row: { name: spelled, version: '1.0.0', path: '/usr/lib/python3/dist-packages' } });
  }
  if (platform === 'darwin') {
    for (const name of p.brew ?? []) one(`brew formula ${name}`, { table: 'homebrew_packages', row: { name, type: 'formula', version: '1.0', path: `/opt/homebrew/Cellar/${name}/1.0` } });
    for (const name of p.brewCask ?? []) one(`brew cask ${name}`, { table: 'homebrew_packages', row: { name, type: 'cask', version: '1.0', path: `/opt/homebrew/Caskroom/${name}/1.0` } });
  }
  if (platform === 'linux') {
    for (const name of p.brew ?? []) one(`Linuxbrew formula ${name}`, file(`/home/linuxbrew/.linuxbrew/Cellar/${name}`, platform));
    for (const name of p.brewCask ?? []) one(`Linuxbrew cask ${name}`, file(`${home}/.linuxbrew/Caskroom/${name}`, platform));
    for (const name of p.deb ?? []) one(`deb ${name}`, { table: 'deb_packages', row: { name, version: '1.0', status: 'install ok installed' } });
    for (const name of p.rpm ?? []) one(`rpm ${name}`, { table: 'rpm_packages', row: { name, version: '1.0', release: '1' } });
    for (const name of p.snap ?? []) one(`snap ${name}`, file(`/snap/${name}`, platform));
    for (const id of p.flatpak ?? []) {
      one(`flatpak ${id}`, file(`/var/lib/flatpak/app/${id}`, platform));
      one(`user flatpak ${id}`, file(`${home}/.local/share/flatpak/app/${id}`, platform));
    }
  }
  if (platform === 'windows') {
    for (const name of p.choco ?? []) one(`chocolatey ${name}`, { table: 'chocolatey_packages', row: { name, version: '1.0', path: `C:\\ProgramData\\chocolatey\\lib\\${name}` } });
  }
  return out;
}

function editorAndAppFixtures(tool: ToolEntry, platform: Platform): Array<{ label: string; rows: TableRow[] }> {
  const s = tool.signatures;
  const out: Array<{ label: string; rows: TableRow[] }> = [];
  const one = (label: string, row: TableRow) => out.push({ label, rows: [row] });
  for (const id of s.vscodeExtensions ?? []) {
    const row = { version: '1.0.0', path: `${HOMES[platform]}/.vscode/extensions/${id}-1.0.0`, uid: ALICE };
    one(`VS Code extension ${id}`, { table: 'vscode_extensions', row: { name: id, ...row } });
    one(`VS Code extension ${id} in lower case`, { table: 'vscode_extensions', row: { name: id.toLowerCase(), ...row } });
  }
  for (const id of s.browserExtensions?.chromium ?? []) {
    one(`Chrome extension ${id}`, { table: 'chrome_extensions', row: { identifier: id, name: tool.name, profile: 'Default', version: '1.0.0', path: `${HOMES[platform]}/chrome/Default/Extensions/${id}/1.0.0_0`, uid: ALICE } });
  }
  for (const id of s.browserExtensions?.firefox ?? []) {
    one(`Firefox add-on ${id}`, { table: 'firefox_addons', row: { identifier: id, name: tool.name, version: '1.0.0', path: `${HOMES[platform]}/firefox/extensions/${id}.xpi`, uid: ALICE } });
  }
  if (platform === 'darwin') {
    for (const name of s.apps?.macos?.bundleNames ?? []) one(`app ${name}`, { table: 'apps', row: { name, path: `/Applications/${name}`, bundle_identifier: 'org.example.unrelated' } });
    for (const id of s.apps?.macos?.bundleIds ?? []) one(`app bundle id ${id}`, { table: 'apps', row: { name: 'Renamed.app', path: '/Applications/Renamed.app', bundle_identifier: id } });
  }
  if (platform === 'windows') {
    for (const name of s.apps?.windows?.displayNames ?? []) {
      for (const shown of [name, `${name} (User)`, `${name} 1.2.3`, `${name} version 0.12.3`]) {
        one(`installed program ${shown}`, { table: 'programs', row: { name: shown, version: '1.2.3', publisher: tool.vendor } });
      }
    }
  }
  return out;
}

const APPIMAGE_FOLDERS = (home: string) => [`${home}/Applications`, `${home}/Downloads`, `${home}/.local/bin`, `${home}/AppImages`, '/opt'];
const DESKTOP_FOLDERS = (home: string) => ['/usr/share/applications', `${home}/.local/share/applications`, '/var/lib/snapd/desktop/applications'];

function fileFixtures(tool: ToolEntry, platform: Platform): Array<{ label: string; rows: TableRow[] }> {
  const s = tool.signatures;
  const home = HOMES[platform];
  const out: Array<{ label: string; rows: TableRow[] }> = [];
  const at = (label: string, path: string | undefined) => {
    if (path !== undefined) out.push({ label, rows: [file(path, platform)] });
  };
  for (const trace of s.home ?? []) if (!trace.os || trace.os.includes(OS[platform])) at(`home trace ${trace.path}`, concrete(trace.path, platform));
  for (const pattern of s.installPaths ?? []) at(`install folder ${pattern}`, concrete(pattern, platform));
  if (platform === 'windows') for (const pattern of s.apps?.windows?.paths ?? []) at(`app at ${pattern}`, concrete(pattern, platform));
  if (platform === 'linux') {
    for (const pattern of s.apps?.linux?.paths ?? []) {
      const expanded = expandAnchor(pattern, where(platform));
      if (expanded !== undefined && !expanded.startsWith('/')) {
        for (const folder of APPIMAGE_FOLDERS(home)) at(`AppImage ${pattern} in ${folder}`, concrete(pattern, platform, folder));
      } else {
        at(`app at ${pattern}`, concrete(pattern, platform));
      }
    }
    for (const desktop of s.apps?.linux?.desktopFiles ?? []) for (const folder of DESKTOP_FOLDERS(home)) at(`desktop file ${desktop} in ${folder}`, `${folder}/${desktop}`);
  }
  return out;
}

/** Every fixture for a tool on a platform, each checked to be one aitool itself finds the tool in. */
export function fixturesFor(tool: ToolEntry, platform: Platform): Fixture[] {
  const catalog = compileCatalog([tool], where(platform));
  const compiled = catalog.tools[0]!;
  const all = [...processFixtures(tool, compiled, platform), ...packageFixtures(tool, platform), ...editorAndAppFixtures(tool, platform), ...fileFixtures(tool, platform)];
  for (const fixture of all) {
    for (const row of fixture.rows) {
      const found = aitoolFinds(catalog, row);
      if (found !== undefined && !found.includes(tool.id)) throw new Error(`fixture '${fixture.label}' (${tool.id}, ${platform}) is not something aitool finds`);
    }
  }
  return all.map((fixture) => ({ tool: tool.id, platform, ...fixture }));
}

// ---------------------------------------------------------------------------
// The machine every fixture is added to: users, and decoys that must not match
// ---------------------------------------------------------------------------

/** Users (alice and an administrator) and decoys: look-alikes of the catalog's signatures that neither aitool nor a query may count. */
export function baseRows(tools: readonly ToolEntry[], platform: Platform): TableRow[] {
  const windows = platform === 'windows';
  const home = HOMES[platform];
  const rows: TableRow[] = [
    { table: 'users', row: { uid: ALICE, gid: ALICE, username: 'alice', directory: native(home, platform), shell: '/bin/zsh' } },
    { table: 'users', row: { uid: 0, gid: 0, username: 'root', directory: windows ? 'C:\\Windows\\system32\\config\\systemprofile' : platform === 'darwin' ? '/var/root' : '/root' } },
  ];
  const s = tools.map((tool) => tool.signatures);
  // Names other programs share (`q`, `amp`, `agent`, `cn`, ...), running from somewhere that proves nothing.
  const ambiguous = new Set(s.flatMap((sig) => [...(sig.processes?.ambiguousNames ?? []), ...(sig.executables ?? []).filter((e) => e.ambiguous).map((e) => e.name)]));
  for (const name of ambiguous) {
    rows.push(windows ? proc(`${name}.exe`, `C:\\Tools\\${name}.exe`, `${name}.exe --help`) : proc(name, `/usr/bin/${name}`, `${name} --help`));
    rows.push(windows ? proc('node.exe', 'C:\\Program Files\\nodejs\\node.exe', `node.exe C:\\Tools\\${name}`) : proc('node', '/usr/bin/node', `node /usr/local/bin/${name}`));
  }
  rows.push(
    windows ? proc('node.exe', 'C:\\Program Files\\nodejs\\node.exe', 'node.exe C:\\srv\\app\\server.js') : proc('node', '/usr/bin/node', 'node /srv/app/server.js'),
    windows ? proc('python.exe', 'C:\\Python312\\python.exe', 'python.exe -m http.server') : proc('python3', '/usr/bin/python3', 'python3 -m http.server'),
    // A file named like a tool, opened by a program that is no interpreter.
    windows ? proc('notepad.exe', 'C:\\Windows\\notepad.exe', 'notepad.exe C:\\Users\\alice\\claude') : proc('vim', '/usr/bin/vim', 'vim /home/alice/claude'),
    windows ? proc('explorer.exe', 'C:\\Windows\\explorer.exe', 'explorer.exe') : proc('bash', '/bin/bash', 'bash -l'),
  );
  rows.push(
    ...['claude', '@anthropic-ai/claude-code-extra', 'amp', 'cursor'].map((name): TableRow => ({ table: 'npm_packages', row: { name, version: '1.0.0', path: `/usr/local/lib/node_modules/${name}` } })),
    { table: 'python_packages', row: { name: 'aider-chat-plugins', version: '1.0.0', path: '/usr/lib/python3/dist-packages' } },
  );
  // Extension ids that a pattern match would confuse with the catalog's: a longer id, and `.` or `_` standing for any character.
  for (const id of s.flatMap((sig) => sig.vscodeExtensions ?? [])) {
    for (const decoy of [`${id}-pack`, `x${id}`, id.replace('.', '_'), id.replace(/_/g, 'X')]) {
      if (decoy !== id) rows.push({ table: 'vscode_extensions', row: { name: decoy, version: '1.0.0', path: `${home}/.vscode/extensions/${decoy}`, uid: ALICE } });
    }
  }
  // A browser extension that is no AI tool's, and one id longer than a catalog id.
  rows.push({ table: 'chrome_extensions', row: { identifier: 'cjpalhdlnbpafiamejdnhcphjbkeiagm', name: 'uBlock Origin', profile: 'Default', version: '1.0.0', path: `${home}/chrome/x`, uid: ALICE } });
  for (const id of s.flatMap((sig) => sig.browserExtensions?.chromium ?? [])) {
    rows.push({ table: 'chrome_extensions', row: { identifier: `${id}a`, name: 'Look-alike', profile: 'Default', version: '1.0.0', path: `${home}/chrome/y`, uid: ALICE } });
  }
  for (const id of s.flatMap((sig) => sig.browserExtensions?.firefox ?? [])) {
    rows.push({ table: 'firefox_addons', row: { identifier: `${id}a`, name: 'Look-alike', version: '1.0.0', path: `${home}/firefox/y.xpi`, uid: ALICE } });
  }
  if (platform === 'darwin') {
    rows.push({ table: 'apps', row: { name: 'Cursorial.app', path: '/Applications/Cursorial.app', bundle_identifier: 'com.todesktop.230313mzl4w4u92.helper' } });
    // A formula named like a cask (and the other way round) is another package.
    const formulae = new Set(s.flatMap((sig) => sig.packages?.brew ?? []));
    const casks = new Set(s.flatMap((sig) => sig.packages?.brewCask ?? []));
    for (const name of casks) if (!formulae.has(name)) rows.push({ table: 'homebrew_packages', row: { name, type: 'formula', version: '1.0', path: `/opt/homebrew/Cellar/${name}/1.0` } });
    for (const name of formulae) if (!casks.has(name)) rows.push({ table: 'homebrew_packages', row: { name, type: 'cask', version: '1.0', path: `/opt/homebrew/Caskroom/${name}/1.0` } });
  }
  if (windows) {
    for (const name of s.flatMap((sig) => sig.apps?.windows?.displayNames ?? [])) {
      for (const decoy of [`${name}ial`, `${name} Helper`, `${name}-Tools 2.0`]) rows.push({ table: 'programs', row: { name: decoy, version: '2.0', publisher: 'Someone else' } });
    }
  }
  for (const path of [`${home}/.claudette`, `${home}/Projects/.claude`, `${home}/.config/ampx`, `${home}/Applications/Cursorial-1.0.AppImage`]) rows.push(file(path, platform));
  return rows;
}

/** Decoys aitool itself would count are mistakes in the test. */
export function assertDecoys(tools: readonly ToolEntry[], platform: Platform, rows: readonly TableRow[]): void {
  const catalog = compileCatalog(tools, where(platform));
  for (const row of rows) {
    const found = aitoolFinds(catalog, row);
    if (found && found.length > 0) throw new Error(`decoy ${JSON.stringify(row.row)} is ${found.join(', ')} to aitool`);
  }
}
