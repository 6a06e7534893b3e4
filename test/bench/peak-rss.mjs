// Preloaded (`node --import`) into each process whose peak memory the bench
// measures: at exit it writes the process's own VmHWM (peak resident set, kB)
// to fd 3. Read from /proc/self rather than with GNU time, whose figure would
// also count the children (git) and which is not on every machine.
import { readFileSync, writeSync } from 'node:fs';

process.on('exit', () => {
  const peak = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  writeSync(3, peak?.[1] ?? '');
});
