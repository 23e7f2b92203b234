// Bundles the VS Code extension: the client (extension host), the language server and the CLI (child processes).
//
//   node esbuild.mjs            production bundles in dist/ (minified, with external source maps)
//   node esbuild.mjs --dev      unminified bundles with inline source maps
//   node esbuild.mjs --tests    also bundles the extension-host test suite (tests/vscode/suite) to dist/test/
//
// dist/extension.cjs   the client, CommonJS, `vscode` external, loaded by the extension host
// dist/server.cjs      the language server (src/language/main.ts), started by vscode-languageclient over IPC
// dist/cli/mplan.mjs   the `mplan` CLI's launcher (src/cli/launcher.ts): runs dist/cli/mplan-main.cjs, the CLI itself
//                      (src/cli/main.ts), with its compiled code cached between runs. The extension runs it in a child
//                      Node process for evaluations, audience export and audience sizes. DuckDB's native binding
//                      (@duckdb/node-api) stays external and is shipped in the .vsix's node_modules, so it is never
//                      loaded into the extension host.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const dev = args.has('--dev');
const withTests = args.has('--tests');

const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify: !dev,
    sourcemap: dev ? 'inline' : true,
    sourcesContent: false,
    logLevel: 'warning',
    absWorkingDir: root
};

const builds = [
    {
        ...common,
        entryPoints: ['src/extension/main.ts'],
        outfile: 'dist/extension.cjs',
        format: 'cjs',
        external: ['vscode'],
        // vscode-languageclient ships UMD-style modules; prefer their CommonJS entry points.
        mainFields: ['module', 'main']
    },
    {
        ...common,
        entryPoints: ['src/language/main.ts'],
        outfile: 'dist/server.cjs',
        format: 'cjs',
        mainFields: ['module', 'main']
    },
    {
        ...common,
        entryPoints: ['src/cli/main.ts'],
        outfile: 'dist/cli/mplan-main.cjs',
        format: 'cjs',
        // The native engine is loaded from node_modules at run time, never bundled.
        external: ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'],
        // The sources are ES modules: `import.meta.url` (to find package.json and load the native engines) is the
        // bundle's own URL.
        define: { 'import.meta.url': '__mplanBundleUrl' },
        banner: { js: "const __mplanBundleUrl = require('node:url').pathToFileURL(__filename).href;" }
    },
    {
        ...common,
        entryPoints: ['src/cli/launcher.ts'],
        outfile: 'dist/cli/mplan.mjs',
        format: 'esm'
    }
];

if (withTests) {
    builds.push({
        ...common,
        minify: false,
        sourcemap: 'inline',
        entryPoints: ['tests/vscode/suite/index.ts'],
        outfile: 'dist/test/suite.cjs',
        format: 'cjs',
        external: ['vscode']
    });
}

const started = Date.now();
fs.rmSync(path.join(root, 'dist', 'test'), { recursive: true, force: true });
const results = await Promise.all(builds.map(options => esbuild.build({ ...options, metafile: true })));
const sizes = results.flatMap(result => Object.entries(result.metafile.outputs))
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, output]) => `${file} ${(output.bytes / 1024).toFixed(0)} kB`);
console.log(`esbuild: ${sizes.join(', ')} in ${Date.now() - started} ms`);
