#!/usr/bin/env node
// The CLI runs from its esbuild bundle: one file loads far faster than hundreds of modules.
import '../dist/cli/mplan.mjs';
