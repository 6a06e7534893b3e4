#!/usr/bin/env node
// Bench: `aitool report` over 10,000 collected reports (JSON and NDJSON,
// duplicates, stale machines, some broken) must write its HTML and CSV
// summary in at most 10 s. Runs the built CLI (npm run build first) a few
// times as a user would, prints one JSON line, exits 1 if the median misses.
// Usage: node test/bench/fleet-report.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFleet } from '../helpers/fleet-reports.mjs';

const REPORTS = 10_000;
const TARGET_SECONDS = 10;
const NOW = '2026-06-01T12:00:00.000Z';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'aitool.js');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;

const base = mkdtempSync(join(tmpdir(), 'aitool-bench-fleet-'));
try {
  const folder = join(base, 'collected');
  mkdirSync(folder);
  const fleet = writeFleet(folder, { count: REPORTS, now: Date.parse(NOW), seed: 2026 });
  const seconds = [];
  for (let i = 0; i < runs; i++) {
    const csv = join(base, `summary-${i}.csv`);
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [bin, 'report', folder, '--output', join(base, `summary-${i}.html`), '--csv', csv, '--now', NOW], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (result.status !== 0) throw new Error(`aitool report exited ${result.status}: ${result.stderr}`);
    // A fast wrong answer is no answer: the CSV must have a row per machine.
    const rows = readFileSync(csv, 'utf8').split('\r\n').filter(Boolean).length - 1;
    if (rows !== fleet.machines.size) throw new Error(`aitool report: ${rows} machines in the CSV, expected ${fleet.machines.size}`);
  }
  const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)];
  const ok = median <= TARGET_SECONDS;
  console.log(
    JSON.stringify({
      case: 'fleet report, 10,000 reports',
      reports: REPORTS,
      machines: fleet.machines.size,
      runs,
      medianSeconds: Number(median.toFixed(2)),
      targetSeconds: TARGET_SECONDS,
      ok,
    }),
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(base, { recursive: true, force: true });
}
