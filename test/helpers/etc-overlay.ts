/**
 * Runs a command that sees files at real /etc paths without writing the
 * machine's /etc: the command runs in a private mount namespace
 * (`unshare -m --propagation private`) where an overlay is mounted over /etc.
 * The overlay's upper layer is a temp folder, so what the test places there is
 * visible at /etc/... inside the namespace only; the host's /etc, which other
 * people's Claude Code sessions on this machine read, is never written.
 *
 * /var/lib gets an overlay of its own, so that `aitool apply` run inside the
 * namespace keeps its backups and manifest (/var/lib/aitool/apply) there too.
 *
 * Needs root (or CAP_SYS_ADMIN); etcOverlayUnavailable() says why not, so a
 * test can skip with that reason.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { killOwnGroup } from './processes.js';
import { makeTempDir } from './temp.js';

export interface OverlayRun {
  /** Files to place, by absolute path under /etc, e.g. `/etc/claude-code/managed-settings.json`. */
  files?: Record<string, string>;
  /**
   * A command run inside the namespace before `command` (`aitool apply`,
   * writing the real /etc paths); the run fails if it does. Its output is
   * kept apart from the command's, in `setupOutput`.
   */
  setup?: string[];
  command: string[];
  /**
   * More folders to overlay the same way (an install prefix such as
   * /usr/local); what the namespace wrote there is in the upper layer
   * `upperOf(overlayDir, folder)`.
   */
  alsoOverlay?: string[];
  /**
   * The overlay state of an earlier run to mount again, so a second run sees
   * what the first one wrote (its upper layers keep accumulating); a fresh one
   * when absent. It must have been made with the same `alsoOverlay`.
   */
  overlayDir?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs?: number;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface OverlayResult extends RunResult {
  /** What the setup command printed (stdout and stderr). */
  setupOutput: string;
  /** Every file the namespace wrote or was given under /etc, by its /etc path (read from the overlay's upper layer afterwards). */
  etcFiles: Record<string, string>;
  /** The same for /var/lib (its own overlay), by /var/lib path. */
  varLibFiles: Record<string, string>;
  /** The folder holding the upper layers, to pass as `overlayDir` to a later run. */
  overlayDir: string;
}

/** The upper layer of an `alsoOverlay` folder: what the namespace wrote under it, by its path relative to the folder. */
export function upperOf(overlayDir: string, folder: string): string {
  return join(overlayDir, `extra${folder.replaceAll('/', '_')}-up`);
}

let unavailable: string | undefined | null = null;

/** Why an /etc overlay cannot be made here (not root, unshare or overlay refused), or undefined when it can. */
export function etcOverlayUnavailable(): string | undefined {
  if (unavailable !== null) return unavailable;
  unavailable = probe();
  return unavailable;
}

function probe(): string | undefined {
  if (process.platform !== 'linux') return `an /etc overlay needs Linux mount namespaces (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'an /etc overlay needs root (unshare -m and mount -t overlay); run the suite as root, as CI does';
  const dir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
  const result = spawnSync(
    'unshare',
    ['-m', '--propagation', 'private', '--', '/bin/sh', '-c', `mkdir -p "$1/up" "$1/work" && ${MOUNT} && test -d /etc`, 'sh', dir],
    { encoding: 'utf8', timeout: 10_000 },
  );
  spawnSync('rm', ['-rf', '--', dir]);
  if (result.error) return `unshare could not run: ${result.error.message}`;
  if (result.status !== 0) return `unshare -m / mount -t overlay over /etc was refused: ${(result.stderr || `exit ${result.status}`).trim()}`;
  return undefined;
}

/** Mounts the overlay; "$1" is a folder holding the upper layer (`up`) and overlayfs's work folder (`work`). */
const MOUNT = 'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/up,workdir=$1/work" /etc';
/** The same for /var/lib, where `aitool apply` keeps its state. */
const MOUNT_VAR_LIB = 'mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$1/var-up,workdir=$1/var-work" /var/lib';

/**
 * Places files at /etc paths for the namespace only: written into the
 * overlay's upper layer, they show through at the same paths under /etc.
 * This is the one place that decides how the files get there.
 */
export async function placeEtcFiles(overlayDir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const inEtc = relative('/etc', path);
    if (inEtc.startsWith('..') || inEtc === '' || inEtc.startsWith('/')) throw new Error(`not a path under /etc: ${path}`);
    const target = join(overlayDir, 'up', inEtc);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/** Runs `command` in a fresh mount namespace whose /etc is an overlay holding `files`. */
export async function runInEtcOverlay(run: OverlayRun): Promise<OverlayResult> {
  const overlayDir = run.overlayDir ?? (await makeTempDir('aitool-etc-overlay-'));
  const extras = (run.alsoOverlay ?? []).map((folder) => {
    if (!folder.startsWith('/') || folder === '/' || ['/etc', '/var/lib'].includes(folder)) throw new Error(`not a folder to overlay: ${folder}`);
    const upper = upperOf(overlayDir, folder);
    return { folder, upper, work: upper.replace(/-up$/, '-work') };
  });
  for (const folder of ['up', 'work', 'var-up', 'var-work']) await mkdir(join(overlayDir, folder), { recursive: true });
  for (const extra of extras) for (const folder of [extra.upper, extra.work]) await mkdir(folder, { recursive: true });
  await placeEtcFiles(overlayDir, run.files ?? {});
  const setupLog = join(overlayDir, 'setup.log');
  const setup = run.setup ? `${run.setup.map(quote).join(' ')} >${quote(setupLog)} 2>&1 || exit 97; ` : '';
  const mountExtras = extras.map((extra) => `mount -t overlay overlay -o ${quote(`lowerdir=${extra.folder},upperdir=${extra.upper},workdir=${extra.work}`)} ${quote(extra.folder)} || exit 96; `).join('');
  // exec: the command replaces the shell, so the pid this test holds is the command's own.
  const script = `${MOUNT} || exit 96; ${MOUNT_VAR_LIB} || exit 96; ${mountExtras}${setup}shift; exec "$@"`;
  const result = await runCommand(['unshare', '-m', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'sh', overlayDir, ...run.command], run);
  const setupOutput = existsSync(setupLog) ? readFileSync(setupLog, 'utf8') : '';
  if (result.exitCode === 97) throw new Error(`the setup command failed inside the namespace:\n${setupOutput}`);
  if (result.exitCode === 96) throw new Error(`an overlay could not be mounted inside the namespace:\n${result.stderr}`);
  return { ...result, setupOutput, overlayDir, etcFiles: filesUnder(join(overlayDir, 'up'), '/etc'), varLibFiles: filesUnder(join(overlayDir, 'var-up'), '/var/lib') };
}

function filesUnder(folder: string, shownAs: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) Object.assign(files, filesUnder(path, `${shownAs}/${entry.name}`));
    else if (entry.isFile()) files[`${shownAs}/${entry.name}`] = readFileSync(path, 'utf8');
  }
  return files;
}

/** Runs a command outside any namespace, with the same result shape (for control runs). */
export function runPlain(run: Omit<OverlayRun, 'files' | 'setup'>): Promise<RunResult> {
  return runCommand(run.command, run);
}

function runCommand(argv: string[], run: Pick<OverlayRun, 'env' | 'cwd' | 'timeoutMs'>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout ends the command and whatever it started (MCP servers), and nothing else.
    const child = spawn(argv[0]!, argv.slice(1), { cwd: run.cwd, env: run.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      killOwnGroup(child);
    }, run.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr, timedOut });
    });
  });
}
