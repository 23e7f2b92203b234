#!/usr/bin/env node
// The CLI runs from its esbuild bundle: one file loads far faster than hundreds of modules. Node 22.1 and later keep
// V8's compiled code of it between runs (module.enableCompileCache: a folder in the OS's temporary folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off), which saves most of the bundle's compile time at every start. Node 20
// has no such cache: there the bundle is compiled at each run. The import comes after, so it is loaded through it.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/cli/mplan.mjs');
