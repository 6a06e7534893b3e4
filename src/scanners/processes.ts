/**
 * Running processes, one observation each, with what the process table hides:
 * the script an interpreter runs (resolved through the PATH symlink that npm
 * bins are), the npm packages its executable or script live in, its parent
 * chain, and where the OS lets aitool read them (Linux /proc) what survives a
 * process rewriting its own argv: the marker variables its launcher set, `_`
 * (the path a shell executed), the markers its children carry, and the
 * files it holds open in an agent's session folders.
 */
import type { Host, RawProcess } from '../host.js';
import type { OperatingSystem } from '../catalog/schema.js';
import { compilePathPattern, type CompiledPathPattern } from '../patterns.js';
import type { EnvironmentVariable, ProcessAncestor, ProcessChild, ProcessObservation } from '../types.js';
import { baseName, isAbsolutePath, resolvePath } from './logical-path.js';
import { createPackageCache, findPackages, mergePackages, type PackageCache } from './package-ref.js';
import type { Scanner, ScanContext } from './types.js';

export const PROCESSES_BUDGET_MS = 3000;

type Interpreter = 'node' | 'bun' | 'deno' | 'python';

/** Which interpreter a program name is (`node`, `python3.12`, `node.exe`), if any. */
export function interpreterOf(program: string): Interpreter | undefined {
  const name = baseName(program).toLowerCase().replace(/\.exe$/, '');
  if (name === 'node' || name === 'nodejs') return 'node';
  if (name === 'bun') return 'bun';
  if (name === 'deno') return 'deno';
  if (/^python(?:\d+(?:\.\d+)?t?)?w?$/.test(name)) return 'python';
  return undefined;
}

/** What an interpreter was asked to run: a script file, a module (`python -m`), or neither (`-e`, `-c`, a REPL). */
export interface InterpreterTarget {
  script?: string;
  module?: string;
}

// Options that take the next argument as their value when not written `--opt=value`.
const NODE_VALUE_OPTIONS = new Set([
  '-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file',
  '--env-file-if-exists', '--input-type', '--title', '--inspect-port', '--debug-port', '--redirect-warnings',
  '--report-dir', '--report-directory', '--report-filename', '--report-signal', '--diagnostic-dir', '--icu-data-dir',
  '--openssl-config', '--tls-cipher-list', '--tls-keylog', '--unhandled-rejections', '--heapsnapshot-signal',
  '--heapsnapshot-near-heap-limit', '--cpu-prof-dir', '--cpu-prof-name', '--cpu-prof-interval', '--heap-prof-dir',
  '--heap-prof-name', '--heap-prof-interval', '--experimental-policy', '--policy-integrity', '--secure-heap',
  '--secure-heap-min', '--watch-path', '--test-reporter', '--test-reporter-destination', '--test-name-pattern',
  '--test-skip-pattern', '--test-shard', '--test-concurrency', '--test-timeout', '--max-http-header-size',
  '--dns-result-order', '--disable-warning', '--localstorage-file', '--experimental-config-file',
]);
// Options after which node runs no script file.
const NODE_NO_SCRIPT = new Set(['-e', '--eval', '-p', '--print', '-pe', '-i', '--interactive', '-v', '--version', '-h', '--help', '--run']);

const BUN_VALUE_OPTIONS = new Set([
  '--cwd', '-r', '--preload', '--require', '--import', '-c', '--config', '--env-file', '--tsconfig-override', '-d',
  '--define', '-l', '--loader', '--port', '--conditions', '--main-fields', '--extension-order', '--jsx-factory',
  '--jsx-fragment', '--jsx-import-source', '--jsx-runtime', '-F', '--filter', '--elide-lines', '--shell',
]);
const BUN_NO_SCRIPT = new Set(['-e', '--eval', '-p', '--print', '-v', '--version', '-h', '--help', '--revision']);
const BUN_SUBCOMMANDS_WITHOUT_SCRIPT = new Set([
  'test', 'x', 'install', 'i', 'add', 'a', 'remove', 'rm', 'update', 'link', 'unlink', 'pm', 'build', 'init', 'create',
  'c', 'upgrade', 'repl', 'exec', 'outdated', 'publish', 'patch', 'audit', 'info', 'why', 'completions', 'discord',
]);

const DENO_VALUE_OPTIONS = new Set(['-c', '--config', '--import-map', '--lock', '--cert', '--location', '--seed', '--log-level', '-L', '--ext']);
const DENO_SCRIPT_SUBCOMMANDS = new Set(['run', 'serve']);
const DENO_SUBCOMMANDS_WITHOUT_SCRIPT = new Set([
  'eval', 'repl', 'task', 'test', 'bench', 'compile', 'install', 'uninstall', 'add', 'remove', 'fmt', 'lint', 'check',
  'doc', 'info', 'init', 'upgrade', 'cache', 'coverage', 'publish', 'jupyter', 'lsp', 'types', 'vendor', 'completions', 'outdated', 'clean',
]);

/** The script or module in an interpreter's argv (argv[0] is the interpreter). */
export function interpreterTarget(interpreter: Interpreter, argv: readonly string[]): InterpreterTarget {
  switch (interpreter) {
    case 'python':
      return pythonTarget(argv);
    case 'node':
      return jsTarget(argv, NODE_VALUE_OPTIONS, NODE_NO_SCRIPT);
    case 'bun':
      return jsTarget(argv, BUN_VALUE_OPTIONS, BUN_NO_SCRIPT, (word) =>
        word === 'run' ? 'continue' : BUN_SUBCOMMANDS_WITHOUT_SCRIPT.has(word) ? 'none' : 'script',
      );
    case 'deno':
      return jsTarget(argv, DENO_VALUE_OPTIONS, new Set(['-h', '--help', '-V', '--version']), (word) =>
        DENO_SCRIPT_SUBCOMMANDS.has(word) ? 'continue' : DENO_SUBCOMMANDS_WITHOUT_SCRIPT.has(word) ? 'none' : 'script',
      );
  }
}

type Subcommand = (word: string) => 'continue' | 'none' | 'script';

function jsTarget(argv: readonly string[], valueOptions: ReadonlySet<string>, noScript: ReadonlySet<string>, subcommand?: Subcommand): InterpreterTarget {
  let subcommandSeen = subcommand === undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return argv[i + 1] === undefined ? {} : { script: argv[i + 1]! };
    if (arg === '-') return {};
    if (arg.startsWith('-')) {
      const option = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
      if (noScript.has(option)) return {};
      if (!arg.includes('=') && valueOptions.has(arg)) i += 1;
      continue;
    }
    if (!subcommandSeen) {
      subcommandSeen = true;
      const kind = subcommand!(arg);
      if (kind === 'none') return {};
      if (kind === 'continue') continue;
    }
    return { script: arg };
  }
  return {};
}

// Single-letter python options that take a value, attached (`-Wignore`) or next.
const PYTHON_VALUE_LETTERS = new Set(['W', 'X']);
const PYTHON_LONG_VALUE_OPTIONS = new Set(['--check-hash-based-pycs']);

function pythonTarget(argv: readonly string[]): InterpreterTarget {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return argv[i + 1] === undefined ? {} : { script: argv[i + 1]! };
    if (arg === '-') return {};
    if (arg.startsWith('--')) {
      if (arg === '--help' || arg === '--version' || arg.startsWith('--help-')) return {};
      if (PYTHON_LONG_VALUE_OPTIONS.has(arg)) i += 1;
      continue;
    }
    if (arg.startsWith('-')) {
      // A cluster of letters (`-uB`); `c` and `m` end it and take the rest or the next argument.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        if (letter === 'c') return {};
        if (letter === 'm') {
          const attached = arg.slice(j + 1);
          const module = attached !== '' ? attached : argv[i + 1];
          return module === undefined ? {} : { module };
        }
        if (letter === 'h' || letter === 'V' || letter === '?') return {};
        if (PYTHON_VALUE_LETTERS.has(letter)) {
          if (j === arg.length - 1) i += 1;
          break;
        }
      }
      continue;
    }
    return { script: arg };
  }
  return {};
}

/** A kernel thread: no executable, no argv, shown by name in brackets. Never a tool. */
export function isKernelThread(raw: RawProcess): boolean {
  return raw.exe === undefined && (raw.argv === undefined || raw.argv.length === 0) && /^\[.*\]$/.test(raw.cmd.trim());
}

/** Parent, grandparent, ... up to pid 1, from one listing (a cycle or a missing parent ends the chain). */
export function ancestorsOf(raw: RawProcess, byPid: ReadonlyMap<number, RawProcess>): ProcessAncestor[] {
  const chain: ProcessAncestor[] = [];
  const seen = new Set<number>([raw.pid]);
  let next = raw.ppid;
  while (next > 0 && !seen.has(next)) {
    const parent = byPid.get(next);
    if (!parent) break;
    seen.add(next);
    chain.push({ pid: parent.pid, name: parent.name, cmd: parent.cmd });
    if (parent.pid === 1) break;
    next = parent.ppid;
  }
  return chain;
}

/** A spec the interpreter fetches itself (`https://…`, `npm:…`, `jsr:…`): kept as written. */
function isUrlLike(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(value) && !/^[A-Za-z]:[\\/]/.test(value);
}

async function resolveScript(host: Host, raw: RawProcess, script: string): Promise<string | undefined> {
  if (isUrlLike(script)) return script;
  let absolute = script;
  if (!isAbsolutePath(script, host.os)) {
    // Only Linux says where a process runs (/proc/<pid>/cwd); elsewhere a relative script stays unknown.
    if (host.os !== 'linux') return undefined;
    const cwd = await host.realpath(`/proc/${raw.pid}/cwd`).catch(() => undefined);
    if (cwd === undefined) return undefined;
    absolute = resolvePath(cwd, script);
    // A relative word that is no file (`bun run dev` names a package.json script) is no script.
    return host.realpath(absolute).catch(() => undefined);
  }
  // An absolute path that does not resolve here (another mount namespace, a deleted file) is still evidence.
  return host.realpath(absolute).catch(() => absolute);
}

/** Children kept per process: enough for an agent's shells, bounded for pid 1 and service managers. */
const CHILDREN_MAX = 64;
/** `_` as a shell sets it: the path of the program it executed. */
const SHELL_EXECUTED = '_';

/** What was read about the processes beyond the process table: their environments (markers and `_` only), by pid. */
export interface ProcessExtras {
  environments: ReadonlyMap<number, ReadonlyMap<string, string>>;
  childrenOf: ReadonlyMap<number, readonly RawProcess[]>;
  /** Open-file folders to look for (compiled catalog `processes.openFiles`); none when the host cannot list open files. */
  openFilePatterns: readonly CompiledPathPattern[];
}

const NO_EXTRAS: ProcessExtras = { environments: new Map(), childrenOf: new Map(), openFilePatterns: [] };

/**
 * The variables of `pid` that its parent does not carry with the same value:
 * what was set for this process rather than inherited down a tree (every
 * descendant of an agent's shell carries CLAUDECODE=1; only the shell's
 * parent is the agent). With `parentKnown`, nothing when the parent's
 * environment cannot be read, since then nothing tells set from inherited.
 */
function setForProcess(raw: RawProcess, extras: ProcessExtras, parentKnown: boolean): EnvironmentVariable[] {
  const own = extras.environments.get(raw.pid);
  const parents = extras.environments.get(raw.ppid);
  if (own === undefined || (parentKnown && parents === undefined)) return [];
  const set: EnvironmentVariable[] = [];
  for (const [name, value] of own) if (parents?.get(name) !== value) set.push({ name, value });
  return set;
}

function childrenWithMarkers(raw: RawProcess, extras: ProcessExtras): ProcessChild[] {
  const children = (extras.childrenOf.get(raw.pid) ?? []).map((child) => ({
    pid: child.pid,
    name: child.name,
    cmd: child.cmd,
    variables: setForProcess(child, extras, true).filter((v) => v.name !== SHELL_EXECUTED),
  }));
  children.sort((a, b) => Number(b.variables.length > 0) - Number(a.variables.length > 0));
  return children.slice(0, CHILDREN_MAX);
}

/**
 * Whose open files are worth listing: an interpreter, or a program outside
 * the system's own folders. A renamed agent binary lives in a user's folder;
 * a viewer or editor from /usr that has a transcript open is not the agent,
 * and a browser's thousands of descriptors are not read at all.
 */
function mayHoldAgentFiles(exe: string | undefined, interpreter: Interpreter | undefined): boolean {
  if (interpreter) return true;
  return exe !== undefined && !/^\/(?:usr|bin|sbin|lib|lib32|lib64|libx32|snap|nix\/store)\//.test(exe);
}

/** Whether a process could be a tool itself: what mayHoldAgentFiles says, from the table alone. */
function mayBeTool(raw: RawProcess): boolean {
  const argv0 = raw.argv?.[0];
  const interpreter = (raw.exe !== undefined ? interpreterOf(raw.exe) : undefined) ?? (argv0 !== undefined ? interpreterOf(argv0) : undefined);
  return mayHoldAgentFiles(raw.exe, interpreter);
}

/**
 * The processes whose environment is worth a read of /proc/<pid>/environ:
 * each that could be a tool itself (its own launcher markers, `_`), its
 * parent (what tells a variable set for it from one inherited) and its
 * children (the markers a tool sets in what it spawns, which vouch for it).
 * A system program (/usr/bin/sleep, a shell from /bin) whose parent and
 * children are all system programs too is none of these: its markers could
 * only ever speak for a system program, which the catalog proves by path or
 * name. On a machine running thousands of such processes this skips most
 * of the reads; on a developer's machine, the shells under an agent are
 * still read, as its children.
 */
export function environmentsWorthReading(running: readonly RawProcess[], byPid: ReadonlyMap<number, RawProcess>): Set<number> {
  const wanted = new Set<number>();
  for (const raw of running) {
    if (!mayBeTool(raw)) continue;
    wanted.add(raw.pid);
    if (byPid.has(raw.ppid)) wanted.add(raw.ppid);
  }
  for (const raw of running) {
    const parent = byPid.get(raw.ppid);
    if (parent !== undefined && mayBeTool(parent)) wanted.add(raw.pid);
  }
  return wanted;
}

async function openAgentFiles(host: Host, pid: number, patterns: readonly CompiledPathPattern[]): Promise<string[]> {
  if (patterns.length === 0 || !host.processOpenFiles) return [];
  const files = (await host.processOpenFiles(pid)) ?? [];
  return files.filter((file) => patterns.some((pattern) => pattern.match(file)));
}

export async function observe(
  host: Host,
  raw: RawProcess,
  byPid: ReadonlyMap<number, RawProcess>,
  cache: PackageCache,
  signal: AbortSignal,
  extras: ProcessExtras = NO_EXTRAS,
): Promise<ProcessObservation> {
  const argv = raw.argv ?? raw.cmd.split(' ').filter((part) => part !== '');
  const observation: ProcessObservation = {
    kind: 'process',
    pid: raw.pid,
    ppid: raw.ppid,
    name: raw.name,
    cmd: raw.cmd,
    argv,
    packages: [],
    ancestors: ancestorsOf(raw, byPid),
  };
  if (raw.uid !== undefined) observation.uid = raw.uid;
  if (raw.startTime !== undefined) observation.startTime = raw.startTime;

  let exe = raw.exe;
  // /proc/<pid>/exe is already resolved; macOS's exe is read off the command line and may be a link.
  if (exe !== undefined && host.os !== 'linux') exe = await host.realpath(exe).catch(() => exe);
  if (exe !== undefined) observation.exe = exe;

  const interpreter = (exe !== undefined ? interpreterOf(exe) : undefined) ?? (argv[0] !== undefined ? interpreterOf(argv[0]) : undefined);
  if (interpreter) {
    const target = interpreterTarget(interpreter, argv);
    if (target.module !== undefined) observation.module = target.module;
    if (target.script !== undefined) {
      observation.scriptArg = target.script;
      signal.throwIfAborted();
      const script = await resolveScript(host, raw, target.script);
      if (script !== undefined) observation.script = script;
    }
  }

  const environment = setForProcess(raw, extras, false);
  if (environment.length > 0) observation.environment = environment;
  const children = childrenWithMarkers(raw, extras);
  if (children.length > 0) observation.children = children;
  // `_` speaks for an interpreter only: a native program's own exe already says what it is.
  const executed = interpreter ? environment.find((v) => v.name === SHELL_EXECUTED)?.value : undefined;
  if (executed !== undefined && isAbsolutePath(executed, host.os)) {
    signal.throwIfAborted();
    const target = await host.realpath(executed).catch(() => undefined);
    if (target !== undefined && target !== exe && target !== observation.script) observation.launchedAs = target;
  }
  if (mayHoldAgentFiles(exe, interpreter)) {
    const open = await openAgentFiles(host, raw.pid, extras.openFilePatterns);
    if (open.length > 0) observation.openFiles = open;
  }

  signal.throwIfAborted();
  const [fromExe, fromScript, fromLaunch] = await Promise.all([
    exe !== undefined ? findPackages(host, exe, cache) : [],
    observation.script !== undefined ? findPackages(host, observation.script, cache) : [],
    observation.launchedAs !== undefined ? findPackages(host, observation.launchedAs, cache) : [],
  ]);
  observation.packages = mergePackages(mergePackages(fromExe, fromScript), fromLaunch);
  return observation;
}

/** Why a kind of evidence is not read on this OS: said once per scan in the report's notes. */
const UNREADABLE_ELSEWHERE: Partial<Record<OperatingSystem, string>> = {
  macos:
    "other processes' environments and open files are not read on macOS: the environment is given only through sysctl KERN_PROCARGS2 " +
    '(or `ps -E`) and open files only through proc_pidinfo (or `lsof`), neither reachable from Node without a native addon or another program; ' +
    'processes are matched by their name, path and command line only',
  windows:
    "other processes' environments and open files are not read on Windows: the environment lives in the process's memory (its PEB) and open files " +
    "in the kernel's handle table, readable only through process handles that Node does not open; processes are matched by their name, path and command line only",
  linux: "other processes' environments and open files are not read: /proc could not be read; processes are matched by their name, path and command line only",
};

/**
 * Reads the environments (marker names and `_` only) of `listing`, or of the
 * processes `only` names among them (the watch looks at new processes, their
 * parents and children), and prepares the open-file patterns.
 */
export async function readProcessExtras(
  host: Host,
  probes: Pick<ScanContext['probes'], 'envNames' | 'openFilePaths'>,
  listing: readonly RawProcess[],
  note: ScanContext['note'],
  only?: ReadonlySet<number>,
): Promise<ProcessExtras> {
  if (!host.processEnvironment) {
    const why = UNREADABLE_ELSEWHERE[host.os];
    // A fixture layout of Linux has no /proc of its own: nothing to say about the machine.
    if (why && host.os !== 'linux') note({ message: why });
    return NO_EXTRAS;
  }
  const wanted = (name: string) => name === SHELL_EXECUTED || probes.envNames.has(name);
  const toRead = only ? listing.filter((raw) => only.has(raw.pid)) : listing;
  const read = await Promise.all(toRead.map(async (raw) => [raw.pid, await host.processEnvironment!(raw.pid, wanted)] as const));
  const environments = new Map<number, ReadonlyMap<string, string>>();
  for (const [pid, environment] of read) if (environment !== undefined) environments.set(pid, environment);
  if (environments.size === 0 && toRead.length > 1) note({ message: UNREADABLE_ELSEWHERE.linux! });
  const childrenOf = new Map<number, RawProcess[]>();
  for (const raw of listing) {
    const siblings = childrenOf.get(raw.ppid) ?? [];
    siblings.push(raw);
    childrenOf.set(raw.ppid, siblings);
  }
  const where = { os: host.os, home: host.home, env: host.env };
  const openFilePatterns = host.processOpenFiles ? probes.openFilePaths.flatMap((pattern) => compilePathPattern(pattern, where) ?? []) : [];
  return { environments, childrenOf, openFilePatterns };
}

export const processesScanner: Scanner = {
  name: 'processes',
  budgetMs: PROCESSES_BUDGET_MS,
  async scan(context: ScanContext) {
    const { host, signal } = context;
    const listing = await host.listProcesses();
    signal.throwIfAborted();
    const byPid = new Map(listing.map((raw) => [raw.pid, raw]));
    const cache = createPackageCache();
    const running = listing.filter((raw) => !isKernelThread(raw));
    const extras = await readProcessExtras(host, context.probes, running, context.note, environmentsWorthReading(running, byPid));
    signal.throwIfAborted();
    return Promise.all(running.map((raw) => observe(host, raw, byPid, cache, signal, extras)));
  },
};
