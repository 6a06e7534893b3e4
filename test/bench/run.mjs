#!/usr/bin/env node
// npm run bench: whole-process wall times, medians against `node -e 0` measured
// in the same run (interleaved, so machine load hits both alike).
// Usage: node test/bench/run.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'aitool.js');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 25;
const warmups = 3;

// An empty working folder: no project policy, so the built-in default applies.
const cwd = mkdtempSync(join(tmpdir(), 'aitool-bench-'));

const cases = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: 'aitool check (text)', argv: [bin, 'check', '--no-color'] },
  { name: 'aitool check --format json', argv: [bin, 'check', '--format', 'json'] },
];

function timeOnce(argv) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

try {
  for (let i = 0; i < warmups; i++) for (const c of cases) timeOnce(c.argv);
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.name).push(timeOnce(c.argv));

  const baseline = median(samples.get('node -e 0'));
  console.log(`aitool bench: ${runs} runs each, interleaved; node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`${'case'.padEnd(34)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}  vs node -e 0`);
  for (const c of cases) {
    const values = samples.get(c.name);
    const m = median(values);
    console.log(
      `${c.name.padEnd(34)} ${m.toFixed(1).padStart(7)}ms ${Math.min(...values).toFixed(1).padStart(7)}ms ${Math.max(...values).toFixed(1).padStart(7)}ms  ${(m / baseline).toFixed(2)}x`,
    );
  }
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
