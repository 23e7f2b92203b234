// The layers: language ← runner ← cli and extension. The language knows nothing of running plans, the runner nothing
// of the command line or the editor, and the CLI nothing of the editor, so each can be reused and tested alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(__dirname, '../src');

/** Which layers a layer must not import. */
const FORBIDDEN: Record<string, string[]> = {
    language: ['runner', 'cli', 'extension'],
    runner: ['cli', 'extension'],
    cli: ['extension']
};

/** Every relative module a file imports: static imports and exports, `import type`, and dynamic `import()`. */
function importsOf(text: string): string[] {
    const found: string[] = [];
    const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;
    for (const match of text.matchAll(pattern)) found.push(match[2]);
    return found;
}

function layerOf(file: string): string {
    return path.relative(src, file).split(path.sep)[0];
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true }).map(String)
        .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .map(f => path.join(dir, f));
}

describe('layers', () => {
    it('finds static, type-only, re-exported and dynamic imports', () => {
        const text = `import { a } from '../cli/x.js';\nimport type { B } from "./y.js";\nexport * from '../runner/z.js';\nconst m = await import('./w.js');\nimport './side.js';`;
        expect(importsOf(text)).toEqual(['../cli/x.js', './y.js', '../runner/z.js', './w.js', './side.js']);
    });

    it('language ← runner ← cli/extension: no file imports a layer above its own', () => {
        const violations: string[] = [];
        const files = sourceFiles(src);
        expect(files.length).toBeGreaterThan(50);
        for (const file of files) {
            const forbidden = FORBIDDEN[layerOf(file)] ?? [];
            for (const target of importsOf(fs.readFileSync(file, 'utf8'))) {
                const layer = layerOf(path.resolve(path.dirname(file), target));
                if (forbidden.includes(layer)) violations.push(`${path.relative(src, file)} imports ${target}`);
            }
        }
        expect(violations).toEqual([]);
    });
});
