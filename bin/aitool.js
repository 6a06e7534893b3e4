#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ (from src/ by `npm run build`).
// Stack traces are printed only with --debug; only then are the source maps
// worth reading, so they point at src/ (reading them costs start-up time).
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main } = await import('../dist/cli.js');

process.exitCode = await main(process.argv);
