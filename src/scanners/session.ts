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
import { chainOrigin } from '../self.js';
import type { Scanner, ScanContext } from './types.js';

export const SESSION_BUDGET_MS = 2000;
const VALUE_MAX = 200;
async function ancestors({ host, signal }: ScanContext): Promise<AncestorObservation[]> {
  // aitool itself first, then its parent, grandparent, ... up to pid 1. A spare answering for a hook script starts at
  // that script, the parent an aitool it started would have had (self.ts).
  const chain = await host.processChain(host.pid);
  signal.throwIfAborted();
  const origin = chainOrigin();
  const first = origin.includeFirst && origin.pid === host.pid ? 0 : 1;
  const byPid = new Map<number, RawProcess>(chain.map((raw) => [raw.pid, raw]));
  const cache = createPackageCache();
  return Promise.all(
    chain.slice(first).map(async (raw, index) => {
      const { kind: _process, ...observed } = await observe(host, raw, byPid, cache, signal);
      return { kind: 'ancestor' as const, depth: index + 1, ...observed };
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
