// The README's table of checks documents every diagnostic code the validator can report, and nothing else.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/language/validation/diagnostic-codes.js';

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

describe('README diagnostic codes', () => {
    it('documents every code', () => {
        const missing = Object.keys(DIAGNOSTIC_CODES).filter(code => !readme.includes(`| \`${code}\` |`));
        expect(missing).toEqual([]);
    });

    it('documents no code the validator lacks', () => {
        const table = readme.slice(readme.indexOf('## The checks'), readme.indexOf('## Command line'));
        const documented = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map(m => m[1]);
        expect(documented.length).toBeGreaterThan(40);
        expect(documented.filter(code => !(code in DIAGNOSTIC_CODES))).toEqual([]);
    });
});
