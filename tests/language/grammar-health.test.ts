// The parser ships in production mode (Chevrotain's grammar self-checks skipped, for start-up time). Here it is built
// in development mode, as a grammar change would be tried: the self-checks pass, and parsing every plan we have logs
// no lookahead ambiguity.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMplanServices } from '../../src/language/mplan-module.js';

const root = path.resolve(__dirname, '../..');
// The normative examples of issues the grammar implements already (in ../shared/spec-next until they move to spec).
const IMPLEMENTED_NEXT = ['arms.mplan', 'recorded-arms.mplan', 'behaviour.mplan', 'value.mplan'];
const plans = [path.resolve(root, '../shared/spec'), path.join(root, 'examples'), path.join(root, 'tests')]
    .flatMap(dir => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.mplan')).map(f => path.join(dir, f)))
    .concat(IMPLEMENTED_NEXT.map(f => [path.resolve(root, '../shared/spec', f), path.resolve(root, '../shared/spec-next', f)].find(p => fs.existsSync(p))!));

describe('grammar in development mode', () => {
    afterEach(() => vi.restoreAllMocks());

    it('passes Chevrotain\'s self-checks and parses every plan without an ambiguity warning', () => {
        const logged: unknown[] = [];
        for (const method of ['log', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation((...args) => { logged.push(args); });
        const { Mplan } = createMplanServices(undefined, { mode: 'development' });
        expect(Mplan.LanguageMetaData.mode).toBe('development');
        expect(plans.length).toBeGreaterThan(3);
        for (const file of plans) {
            const result = Mplan.parser.LangiumParser.parse(fs.readFileSync(file, 'utf8'));
            expect(result.lexerErrors, file).toEqual([]);
            expect(result.parserErrors.map(e => e.message), file).toEqual([]);
        }
        expect(logged).toEqual([]);
    });

    it('is the mode the shipped parser was generated in: production', () => {
        const { Mplan } = createMplanServices();
        expect(Mplan.LanguageMetaData.mode).toBe('production');
    });
});
