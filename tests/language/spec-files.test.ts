// The normative examples in ../shared/spec must parse, link and validate exactly as their comments say.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from 'langium/node';
import { createMplanServices } from '../../src/language/mplan-module.js';
import { loadDocuments } from '../../src/language/load-documents.js';

const specDir = path.resolve(__dirname, '../../../shared/spec');
const specNextDir = path.resolve(__dirname, '../../../shared/spec-next');

/** A spec file by name: in spec, or in spec-next while its issue is open. */
function specFile(file: string): string {
    const landed = path.join(specDir, file);
    return fs.existsSync(landed) ? landed : path.join(specNextDir, file);
}

async function diagnosticsOf(file: string) {
    const { Mplan } = createMplanServices(NodeFileSystem);
    const [loaded] = await loadDocuments(Mplan, [specFile(file)]);
    return loaded.diagnostics;
}

describe('normative spec files', () => {
    for (const file of ['winback.mplan', 'recorded-groups.mplan']) {
        it(`${file} has no errors`, async () => {
            const errors = (await diagnosticsOf(file)).filter(d => d.severity === 1);
            expect(errors.map(e => `${e.range.start.line + 1}: ${e.message}`)).toEqual([]);
        });
    }

    // Issue 9: arms, conditional steps and the real money. Clean but for their data files, which are not shipped
    // (arms.mplan) or lie outside ../shared/spec-next, which is no repository (recorded-arms.mplan).
    for (const [file, dataCodes] of [['arms.mplan', ['data-file-missing']], ['recorded-arms.mplan', ['data-path-outside-root']]] as const) {
        it(`${file} has no errors and no warnings but about its data files`, async () => {
            const diagnostics = (await diagnosticsOf(file)).filter(d => (d.severity === 1 || d.severity === 2) && !(dataCodes as readonly string[]).includes(String(d.code)));
            expect(diagnostics.map(e => `${e.range.start.line + 1}: [${e.code}] ${e.message}`)).toEqual([]);
        });
    }

    it('recorded-groups.mplan reads ../data from outside its root (../shared is no repository): a warning', async () => {
        const outside = (await diagnosticsOf('recorded-groups.mplan')).filter(d => d.code === 'data-path-outside-root');
        expect(outside.map(d => [d.range.start.line + 1, d.severity])).toEqual([[6, 2]]);
    });

    it('not-smart.mplan gets each commented diagnostic on its line, and no other errors', async () => {
        const text = fs.readFileSync(path.join(specDir, 'not-smart.mplan'), 'utf8');
        const expected = new Map<number, 'error' | 'warning'>();
        text.split('\n').forEach((line, index) => {
            const match = /\/\/\s*(error|warning):/.exec(line);
            if (match && !line.trimStart().startsWith('//')) expected.set(index, match[1] as 'error' | 'warning');
        });
        expect(expected.size).toBe(5);
        const diagnostics = await diagnosticsOf('not-smart.mplan');
        for (const [line, severity] of expected) {
            const wanted = severity === 'error' ? 1 : 2;
            const onLine = diagnostics.filter(d => d.range.start.line === line && d.severity === wanted);
            expect(onLine, `line ${line + 1} should have a ${severity}`).not.toHaveLength(0);
        }
        const strayErrors = diagnostics.filter(d => d.severity === 1 && expected.get(d.range.start.line) !== 'error');
        expect(strayErrors.map(e => `${e.range.start.line + 1}: ${e.message}`)).toEqual([]);
    });
});
