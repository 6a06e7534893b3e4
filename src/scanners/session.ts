/**
 * Is aitool itself running inside an AI tool? Two kinds of evidence, both
 * about this process only:
 *
 * - its ancestors, from the parent up to pid 1, observed exactly as the
 *   processes scanner observes any process (so an agent's native binary, its
 *   npm package or its interpreter script proves it the same way);
 * - the variables in its own environment that catalog tools set in the shells
 *   they spawn (CLAUDECODE=1, CODEX_THREAD_ID, GEMINI_CLI=1, ...).
 *
 * A git hook runs as a child of git, which is a child of whatever ran
 * `git commit`: an agent's shell tool shows up here.
 */
import type { RawProcess } from '../host.js';
import type { AncestorObservation, EnvObservation, Observation } from '../types.js';
import { createPackageCache } from './package-ref.js';
import { observe } from './processes.js';
import type { Scanner, ScanContext } from './types.js';

export const SESSION_BUDGET_MS = 2000;
const VALUE_MAX = 200;
/** Deeper chains than this are not real process trees (or are being faked); stop there. */
const MAX_DEPTH = 64;

/** aitool's ancestors, parent first, from a process listing. */
export function ancestryOf(self: number, byPid: ReadonlyMap<number, RawProcess>): Array<{ raw: RawProcess; depth: number }> {
  const chain: Array<{ raw: RawProcess; depth: number }> = [];
  const seen = new Set<number>([self]);
  let next = byPid.get(self)?.ppid;
  while (next !== undefined && next > 0 && !seen.has(next) && chain.length < MAX_DEPTH) {
    seen.add(next);
    const raw = byPid.get(next);
    if (!raw) break;
    chain.push({ raw, depth: chain.length + 1 });
    next = raw.ppid;
  }
  return chain;
}

async function ancestors({ host, signal }: ScanContext): Promise<AncestorObservation[]> {
  const listing = await host.listProcesses();
  signal.throwIfAborted();
  const byPid = new Map(listing.map((raw) => [raw.pid, raw]));
  const cache = createPackageCache();
  return Promise.all(
    ancestryOf(host.pid, byPid).map(async ({ raw, depth }) => {
      const { kind: _process, ...observed } = await observe(host, raw, byPid, cache, signal);
      return { kind: 'ancestor' as const, depth, ...observed };
    }),
  );
}

function markers({ host, probes }: ScanContext): EnvObservation[] {
  const found: EnvObservation[] = [];
  for (const name of probes.envNames) {
    const value = host.env[name];
    if (value === undefined) continue;
    found.push({ kind: 'env', name, value: value.length > VALUE_MAX ? value.slice(0, VALUE_MAX) : value });
  }
  return found;
}

export const sessionScanner: Scanner = {
  name: 'session',
  budgetMs: SESSION_BUDGET_MS,
  async scan(context: ScanContext): Promise<Observation[]> {
    return [...markers(context), ...(await ancestors(context))];
  },
};
