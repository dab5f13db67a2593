#!/usr/bin/env node
'use strict';
// The `satgate` CLI: a thin launcher for the compiled code (`npm run build` produces dist/).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'bin.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('satgate is not built yet: run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(2);
}
require(entry);
