#!/usr/bin/env node
// Thin launcher so the `bin` works from the built package (dist/ is produced by `npm ci` via `prepare`).
import '../dist/cli.js';
