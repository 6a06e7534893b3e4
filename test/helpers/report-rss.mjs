// Preloaded with `node --import` into a CLI run under test: on exit, writes the
// process's peak resident set size (kilobytes) to $AITOOL_TEST_RSS_FILE.
import { writeFileSync } from 'node:fs';

const out = process.env.AITOOL_TEST_RSS_FILE;
if (out) {
  process.on('exit', () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS));
  });
}
