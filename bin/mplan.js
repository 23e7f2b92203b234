#!/usr/bin/env node
// The CLI runs from its esbuild bundle: one file loads far faster than hundreds of modules. The launcher keeps V8's
// compiled code of it between runs (src/cli/launcher.ts; NODE_DISABLE_COMPILE_CACHE=1 turns that off).
await import('../dist/cli/mplan.mjs');
