/**
 * Measuring the watch: `runCycles()` runs watch cycles back to back in this
 * process, on this machine's real process table, optionally with extra
 * processes and with processes starting and ending all the while, and
 * reports the cost per cycle and the memory afterwards.
 *
 * The extra processes are started by a shell in their own process group, not
 * by this process, so that this process's memory is the watch's alone; the
 * group is ended when the run ends (also when it fails).
 *
 *   const { runCycles } = require('aitool/dist/watch-measure.cjs');
 *   const result = await runCycles({ cycles: 1000, extraProcesses: 300, churnPerSecond: 50 });
 *
 * or from a shell (after `npm run build`; --expose-gc makes the memory figures
 * steadier, as a collection runs before each reading):
 *
 *   node --expose-gc dist/watch-measure.cjs --cycles 1000 --extra 300 --churn 50
 *
 * Not used by the CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyFor } from '../run.js';
import { createHost } from '../host.js';
import type { WatchEvent } from './events.js';
import { Watcher, type CycleReport } from './watcher.js';

export interface MeasureOptions {
  /** Cycles to time after the first one (the baseline, reported apart). */
  cycles: number;
  /** Long-running processes (`sleep`) started before the first cycle and kept to the end. */
  extraProcesses?: number;
  /** Short-lived processes started per second during the run (each lives about `churnLifeMs`). */
  churnPerSecond?: number;
  /** How long each churned process lives; 200 ms by default. */
  churnLifeMs?: number;
  /** Pause between cycles; 0 (back to back) by default. */
  pauseMs?: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
  policyFile?: string;
}

export interface Distribution {
  median: number;
  p95: number;
  max: number;
  mean: number;
}

export interface MeasureResult {
  cycles: number;
  /** Processes in the table after the first cycle, and after the last. */
  processes: { first: number; last: number };
  /** The first cycle: every process observed in full, as `aitool check`'s process scan would. */
  firstCycleMs: number;
  /** Per cycle after the first, in milliseconds: the total and its parts. */
  cycleMs: Distribution;
  tableMs: Distribution;
  policyMs: Distribution;
  matchMs: Distribution;
  /** Processes observed in full per cycle (the new ones). */
  observedPerCycle: Distribution;
  /** For comparison: one policyFor() (what re-loading the policy every cycle would cost). */
  policyForMs: Distribution;
  /** How many policy paths are stamped each cycle. */
  policyPaths: number;
  /** process.memoryUsage() after the first cycle and after the last, in bytes (after a GC when --expose-gc). */
  memory: { afterFirst: NodeJS.MemoryUsage; afterLast: NodeJS.MemoryUsage };
  /** Resident and heap memory every 100 cycles (after a GC when --expose-gc): flat is what the watch promises. */
  memoryEvery100: Array<{ cycle: number; rss: number; heapUsed: number }>;
  /** What the watch holds at the end: live processes and those with a finding. */
  held: { live: number; reported: number };
  /** Events the cycles produced, by kind. */
  events: Record<string, number>;
}

function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { median: 0, p95: 0, max: 0, mean: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { median: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1)!), mean: round(values.reduce((a, b) => a + b, 0) / values.length) };
}

function memory(): NodeJS.MemoryUsage {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

/** A shell running `script` in its own process group, so that ending the group ends everything it started. */
function startGroup(script: string): ChildProcess {
  return spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
}

function endGroup(child: ChildProcess | undefined): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** How many processes the machine has now. */
async function processCount(): Promise<number> {
  const host = createHost();
  return (await host.listProcesses()).length;
}

export async function runCycles(options: MeasureOptions): Promise<MeasureResult> {
  const env = options.env ?? { ...process.env };
  const cwd = options.cwd ?? process.cwd();
  let extra: ChildProcess | undefined;
  let churn: ChildProcess | undefined;
  try {
    if (options.extraProcesses) {
      const before = await processCount();
      extra = startGroup(`i=0; while [ $i -lt ${Math.floor(options.extraProcesses)} ]; do sleep 100000 & i=$((i+1)); done; wait`);
      const deadline = Date.now() + 30_000;
      while ((await processCount()) < before + options.extraProcesses && Date.now() < deadline) await sleep(50);
    }
    if (options.churnPerSecond) {
      // Batches of ten every 10/rate seconds, each process living churnLifeMs.
      const life = ((options.churnLifeMs ?? 200) / 1000).toFixed(3);
      const pause = (10 / options.churnPerSecond).toFixed(3);
      churn = startGroup(`while :; do for i in 0 1 2 3 4 5 6 7 8 9; do sleep ${life} & done; sleep ${pause}; done`);
    }

    const watcher = await Watcher.create({ cwd, env, ...(options.policyFile ? { policyFile: options.policyFile } : {}) });
    const events: Record<string, number> = {};
    const count = (event: WatchEvent) => {
      events[event.event] = (events[event.event] ?? 0) + 1;
    };
    const firstReport = await watcher.cycle(count);
    const afterFirst = memory();
    const reports: CycleReport[] = [];
    const samples: MeasureResult['memoryEvery100'] = [];
    for (let i = 0; i < options.cycles; i++) {
      reports.push(await watcher.cycle(count));
      if ((i + 1) % 100 === 0) {
        const { rss, heapUsed } = memory();
        samples.push({ cycle: i + 1, rss, heapUsed });
      }
      if (options.pauseMs) await sleep(options.pauseMs);
    }
    const afterLast = memory();

    const policyForMs: number[] = [];
    const host = createHost({ env });
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await policyFor({ cwd, env, ...(options.policyFile ? { policyFile: options.policyFile } : {}) }, host);
      policyForMs.push(performance.now() - start);
    }

    const pick = (key: keyof Pick<CycleReport, 'totalMs' | 'tableMs' | 'policyMs' | 'matchMs' | 'observed'>) => distribution(reports.map((r) => r[key]));
    return {
      cycles: options.cycles,
      processes: { first: firstReport.live, last: reports.at(-1)?.live ?? firstReport.live },
      firstCycleMs: Math.round(firstReport.totalMs * 1000) / 1000,
      cycleMs: pick('totalMs'),
      tableMs: pick('tableMs'),
      policyMs: pick('policyMs'),
      matchMs: pick('matchMs'),
      observedPerCycle: pick('observed'),
      policyForMs: distribution(policyForMs),
      policyPaths: watcher.policyPaths.length,
      memory: { afterFirst, afterLast },
      memoryEvery100: samples,
      held: watcher.stats(),
      events,
    };
  } finally {
    endGroup(churn);
    endGroup(extra);
  }
}

function flag(args: readonly string[], name: string): number | undefined {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] !== undefined ? Number(args[index + 1]) : undefined;
}

// `node dist/watch-measure.cjs --cycles 1000 --extra 300 --churn 50 [--pause 0]`: prints the result as JSON.
// (No top-level await: the build makes CommonJS of this module.)
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  void runCycles({
    cycles: flag(args, '--cycles') ?? 100,
    extraProcesses: flag(args, '--extra') ?? 0,
    churnPerSecond: flag(args, '--churn') ?? 0,
    pauseMs: flag(args, '--pause') ?? 0,
  }).then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`));
}
