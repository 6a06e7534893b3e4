#!/usr/bin/env node
// Thin launcher. The CLI is built into dist/ from src/ (`npm run build`):
// CommonJS chunks that dist/load.cjs compiles with V8's code cache, so a
// check or a commit hook starts close to Node's own start. This file is
// CommonJS too (bin/package.json): an ES module entry costs a start-up of
// its own.
'use strict';
require('../dist/load.cjs').run(process.argv);
