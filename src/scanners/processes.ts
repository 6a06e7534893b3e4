/**
 * Running processes, one observation each, with what the process table hides:
 * the script an interpreter runs (resolved through the PATH symlink that npm
 * bins are), the npm packages its executable or script live in, and its
 * parent chain.
 */
import type { Host, RawProcess } from '../host.js';
import type { ProcessAncestor, ProcessObservation } from '../types.js';
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

export async function observe(
  host: Host,
  raw: RawProcess,
  byPid: ReadonlyMap<number, RawProcess>,
  cache: PackageCache,
  signal: AbortSignal,
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

  signal.throwIfAborted();
  const [fromExe, fromScript] = await Promise.all([
    exe !== undefined ? findPackages(host, exe, cache) : [],
    observation.script !== undefined ? findPackages(host, observation.script, cache) : [],
  ]);
  observation.packages = mergePackages(fromExe, fromScript);
  return observation;
}

export const processesScanner: Scanner = {
  name: 'processes',
  budgetMs: PROCESSES_BUDGET_MS,
  async scan({ host, signal }: ScanContext) {
    const listing = await host.listProcesses();
    signal.throwIfAborted();
    const byPid = new Map(listing.map((raw) => [raw.pid, raw]));
    const cache = createPackageCache();
    return Promise.all(listing.filter((raw) => !isKernelThread(raw)).map((raw) => observe(host, raw, byPid, cache, signal)));
  },
};
