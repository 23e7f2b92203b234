// `npm run package`: bundles the extension with esbuild and packages it as a platform-specific .vsix with vsce.
//
// The .vsix is staged in dist/stage/ rather than packaged from the repository root: the root package.json is also the
// npm package (its "files" list is for npm), and the extension needs only the bundles, its static files and DuckDB.
// DuckDB's native binding (@duckdb/node-api → @duckdb/node-bindings → @duckdb/node-bindings-<platform>) is the one
// dependency that cannot be bundled: it is copied into the stage's node_modules for the platform this runs on, so the
// .vsix is platform-specific (`--target linux-x64` on Linux x64, and so on). The bundled CLI loads it in a child Node
// process for evaluations; the extension host never loads it.
//
//   node scripts/package-vsix.mjs [--out FILE] [--target TARGET] [--no-bundle]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const argv = process.argv.slice(2);
const option = name => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
};

function vsceTarget() {
    const arch = process.arch === 'arm' ? 'armhf' : process.arch;
    if (process.platform === 'linux') {
        const musl = !process.report?.getReport?.().header?.glibcVersionRuntime;
        return `${musl ? 'alpine' : 'linux'}-${arch}`;
    }
    return `${process.platform}-${arch}`;
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const target = option('--target') ?? vsceTarget();
const out = path.resolve(option('--out') ?? path.join(root, `${pkg.name}-${pkg.version}-${target}.vsix`));
const stage = path.join(root, 'dist', 'stage');
const started = Date.now();

if (!argv.includes('--no-bundle')) execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
const copy = (from, to = from) => fs.cpSync(path.join(root, from), path.join(stage, to), { recursive: true });

// 1. The extension's files.
for (const file of ['dist/extension.cjs', 'dist/server.cjs', 'dist/cli/mplan.mjs', 'dist/cli/mplan-main.cjs', 'syntaxes/mplan.tmLanguage.json',
    'language-configuration.json', 'snippets', 'icons', 'media']) copy(file);
copy('src/extension/README.md', 'README.md');

// 2. The manifest: the root package.json's extension fields; DuckDB is the only run-time dependency left unbundled.
const duckdb = '@duckdb/node-api';
const manifest = {
    name: pkg.name,
    displayName: pkg.displayName,
    description: pkg.description,
    version: pkg.version,
    publisher: pkg.publisher,
    license: pkg.license,
    icon: pkg.icon,
    categories: pkg.categories,
    keywords: pkg.keywords,
    engines: { vscode: pkg.engines.vscode },
    main: pkg.main,
    activationEvents: pkg.activationEvents,
    capabilities: pkg.capabilities,
    contributes: pkg.contributes,
    dependencies: { [duckdb]: pkg.dependencies[duckdb] }
};
fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

// 3. DuckDB and what it needs at run time, as installed here (optional dependencies: the platform binding present).
const copied = [];
function copyPackage(name, from) {
    const manifestFile = require.resolve(`${name}/package.json`, { paths: [from] });
    const dir = path.dirname(manifestFile);
    const destination = path.join(stage, 'node_modules', name);
    if (fs.existsSync(destination)) return;
    fs.cpSync(dir, destination, { recursive: true, filter: src => !src.endsWith('.map') });
    copied.push(name);
    const meta = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const dep of Object.keys(meta.dependencies ?? {})) copyPackage(dep, dir);
    for (const dep of Object.keys(meta.optionalDependencies ?? {})) {
        try {
            copyPackage(dep, dir);
        } catch {
            // another platform's binding: not installed here
        }
    }
}
copyPackage(duckdb, root);
const bindings = copied.filter(name => /^@duckdb\/node-bindings-/.test(name));
if (bindings.length === 0) throw new Error('no DuckDB native binding is installed for this platform: run npm ci first');
fs.writeFileSync(path.join(stage, '.vscodeignore'), ['**/*.map', '**/*.ts', 'node_modules/**/README.md', ''].join('\n'));

// 4. vsce, as installed by npm (a devDependency).
const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
fs.mkdirSync(path.dirname(out), { recursive: true });
execFileSync(process.execPath, [vsce, 'package', '--target', target, '--out', out, '--skip-license', '--allow-missing-repository',
    '--no-update-package-json', '--no-git-tag-version', '--no-rewrite-relative-links'], { cwd: stage, stdio: 'inherit' });
console.log(`packaged ${path.relative(process.cwd(), out) || out} (${target}, ${(fs.statSync(out).size / 1048576).toFixed(1)} MB; node_modules: ${copied.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
