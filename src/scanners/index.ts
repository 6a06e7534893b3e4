/**
 * The scanners and the one way to run them: all at once, each on its own
 * time budget, so that one that fails or hangs costs its own result only.
 */
import type { Host } from '../host.js';
import type { Observation, ScanNote, ScannerName, Skipped } from '../types.js';
import type { Probes, RepoMode, Scanner, ScanContext } from './types.js';


/**
 * A scanner whose module loads when it first runs: a git hook runs two of
 * them, and compiling the other seven (a few thousand lines) would cost it
 * on every commit. The budgets are the modules' own (a test holds them equal).
 */
function lazy(name: ScannerName, budgetMs: number, load: () => Promise<Scanner>): Scanner {
  return { name, budgetMs, scan: async (context: ScanContext) => (await load()).scan(context) };
}

export const ALL_SCANNERS: readonly Scanner[] = [
  lazy('processes', 3000, async () => (await import('./processes.js')).processesScanner),
  lazy('path', 3000, async () => (await import('./path.js')).pathScanner),
  lazy('traces', 2000, async () => (await import('./traces.js')).tracesScanner),
  lazy('packages', 3000, async () => (await import('./packages.js')).packagesScanner),
  lazy('editors', 3000, async () => (await import('./editors.js')).editorsScanner),
  lazy('apps', 3000, async () => (await import('./apps.js')).appsScanner),
  lazy('configs', 2000, async () => (await import('./configs.js')).configsScanner),
  lazy('skills', 2000, async () => (await import('./skills.js')).skillsScanner),
  lazy('browsers', 2000, async () => (await import('./browsers.js')).browsersScanner),
  lazy('session', 2000, async () => (await import('./session.js')).sessionScanner),
  lazy('repo', 3000, async () => (await import('./repo.js')).repoScanner),
];

export interface ScanInput {
  host: Host;
  probes: Probes;
  /** The working folder (logical path), for project-scoped files. */
  cwd?: string;
  repoMode?: RepoMode;
  /** Aborting it (Ctrl-C, an outer deadline) stops every scanner; their results so far are dropped. */
  signal?: AbortSignal;
}

export interface ScanResult {
  /** In the order of the scanners given, then as each scanner returned them. */
  observations: Observation[];
  skipped: Skipped[];
  notes: ScanNote[];
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

type Outcome = { observations: Observation[] } | { skipped: Skipped };

async function runOne(scanner: Scanner, input: ScanInput, notes: ScanNote[]): Promise<Outcome> {
  const controller = new AbortController();
  const outer = input.signal;
  let open = true;
  let timer: NodeJS.Timeout | undefined;
  let onOuterAbort: (() => void) | undefined;

  // Resolves when the budget runs out or the whole scan is cancelled, whichever comes first.
  const stopped = new Promise<Outcome>((resolve) => {
    const stop = (reason: string): void => {
      // Closed first: abort listeners run inside abort(), and what they note is past the budget.
      open = false;
      controller.abort(new Error(reason));
      resolve({ skipped: { scanner: scanner.name, reason } });
    };
    timer = setTimeout(() => stop(`timed out after ${scanner.budgetMs} ms`), scanner.budgetMs);
    onOuterAbort = () => stop('cancelled');
    if (outer?.aborted) onOuterAbort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
  });

  const ran = (async (): Promise<Outcome> => {
    try {
      const observations = await scanner.scan({
        host: input.host,
        probes: input.probes,
        ...(input.cwd === undefined ? {} : { cwd: input.cwd }),
        ...(input.repoMode === undefined ? {} : { repoMode: input.repoMode }),
        signal: controller.signal,
        note: (note) => {
          // A scanner past its budget may still be running; what it says then is not part of this scan.
          if (open) notes.push({ scanner: scanner.name, ...note });
        },
      });
      return { observations };
    } catch (error) {
      return { skipped: { scanner: scanner.name, reason: reasonOf(error) } };
    }
  })();

  try {
    return await Promise.race([ran, stopped]);
  } finally {
    open = false;
    clearTimeout(timer);
    if (onOuterAbort) outer?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * Runs the enabled scanners concurrently. A scanner that throws or overruns
 * its budget becomes a `skipped` entry with the reason; the others' results
 * still arrive.
 */
export async function runScanners(
  scanners: readonly Scanner[],
  input: ScanInput,
  enabled?: Iterable<ScannerName>,
): Promise<ScanResult> {
  const wanted = enabled === undefined ? undefined : new Set(enabled);
  const chosen = scanners.filter((scanner) => wanted === undefined || wanted.has(scanner.name));
  const notes: ScanNote[] = [];
  const outcomes = await Promise.all(chosen.map((scanner) => runOne(scanner, input, notes)));
  const result: ScanResult = { observations: [], skipped: [], notes };
  for (const outcome of outcomes) {
    if ('skipped' in outcome) result.skipped.push(outcome.skipped);
    else result.observations.push(...outcome.observations);
  }
  return result;
}
