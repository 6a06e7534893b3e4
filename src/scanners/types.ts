/**
 * A scanner reads one kind of place on the machine and returns plain
 * observations. It knows no tool names or verdicts: what to look for comes in
 * as `probes`, derived from the catalog by the pipeline.
 */
import type { Host } from '../host.js';
import type { Observation, ScanNote, ScannerName } from '../types.js';

/** What the catalog asks the scanners to look for, without saying which tool wants it. */
export interface Probes {
  /** Executable names to look for on PATH (lower case, no Windows extension). */
  executableNames: ReadonlySet<string>;
  /** Home path patterns (see PathPattern in src/catalog/schema.ts) for the current OS. */
  homePaths: readonly string[];
}

export interface ScanContext {
  host: Host;
  probes: Probes;
  /** Aborted when the scanner's time budget runs out; long loops check it. */
  signal: AbortSignal;
  /** Records something passed over (an unreadable folder, a symlink loop); the scan goes on. */
  note(note: Omit<ScanNote, 'scanner'>): void;
}

export interface Scanner {
  name: ScannerName;
  /** Time budget in milliseconds; past it the scanner is reported as skipped. */
  budgetMs: number;
  scan(context: ScanContext): Promise<Observation[]>;
}
