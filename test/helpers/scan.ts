import type { Host } from '../../src/host.js';
import { emptyProbes } from '../../src/scanners/probes.js';
import type { Scanner } from '../../src/scanners/types.js';
import type { Observation, ScanNote } from '../../src/types.js';

/** Runs one scanner directly (no budget), returning what it saw and noted. */
export async function runScanner<T extends Observation>(
  scanner: Scanner,
  host: Host,
  probes: { executableNames?: Iterable<string>; homePaths?: readonly string[] } = {},
): Promise<{ observations: T[]; notes: Array<Omit<ScanNote, 'scanner'>> }> {
  const notes: Array<Omit<ScanNote, 'scanner'>> = [];
  const observations = await scanner.scan({
    host,
    probes: emptyProbes({ executableNames: new Set(probes.executableNames ?? []), homePaths: probes.homePaths ?? [] }),
    signal: new AbortController().signal,
    note: (note) => notes.push(note),
  });
  return { observations: observations as T[], notes };
}
