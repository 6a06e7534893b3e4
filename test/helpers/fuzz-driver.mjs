// Runs many CLI invocations in one Node process (the built CLI's main, through
// the loader bin/aitool.js uses), so a fuzz test can afford a thousand
// of them. Reads the cases as JSON from the file named by argv[2]; each case
// writes its policy files, runs one command, and is reported as one JSON line
// on stdout: exit code, stderr, time taken, and any Node warning printed.
// Before each case a line "start <n>" goes to stderr, so a hang names its case.
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { createRequire } from 'node:module';

// Through the loader, as bin/aitool.js runs it (one copy of each chunk).
const loader = createRequire(import.meta.url)('../../dist/load.cjs');
loader.start([]);
const { main } = loader.requireChunk('./cli.cjs');

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const warnings = [];
process.removeAllListeners('warning');
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  stream.isTTY = false;
  stream.columns = 100;
  return { stream, text: () => text };
}

for (const [index, testCase] of cases.entries()) {
  process.stderr.write(`start ${index}\n`);
  process.chdir(testCase.cwd);
  for (const [file, content] of Object.entries(testCase.files)) {
    rmSync(file, { force: true, recursive: true });
    if (content === null) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  const stdout = sink();
  const stderr = sink();
  warnings.length = 0;
  const started = performance.now();
  let exitCode;
  try {
    exitCode = await main(['node', 'aitool', ...testCase.args], { stdout: stdout.stream, stderr: stderr.stream, env: testCase.env, cwd: testCase.cwd });
  } catch (error) {
    exitCode = `threw: ${error instanceof Error ? error.stack : String(error)}`;
  }
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`${JSON.stringify({ index, exitCode, stderr: stderr.text(), ms, warnings: [...warnings] })}\n`);
  for (const file of Object.keys(testCase.files)) rmSync(file, { force: true, recursive: true });
}
