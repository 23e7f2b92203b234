// "mplan: New Plan from Template": every template is a plan that checks without errors (its data files are missing
// in a fresh folder, which is only a warning), and the snippets file is valid.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instantiate, PLAN_TEMPLATES } from '../../src/extension/templates.js';

const root = path.resolve(__dirname, '../..');

function check(dir: string): { files: { path: string; diagnostics: { severity: string; code: string; message: string }[] }[]; errors: number } {
    try {
        return JSON.parse(execFileSync(process.execPath, [path.join(root, 'bin/mplan.js'), 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' }));
    } catch (error) {
        return JSON.parse((error as { stdout: string }).stdout);
    }
}

describe('plan templates', () => {
    it('check without errors', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-templates-'));
        for (const template of PLAN_TEMPLATES) fs.writeFileSync(path.join(dir, `${template.id}.mplan`), instantiate(template, `My "${template.id}" plan`));
        const result = check(dir);
        fs.rmSync(dir, { recursive: true, force: true });
        expect(result.files).toHaveLength(PLAN_TEMPLATES.length);
        const errors = result.files.flatMap(f => f.diagnostics.filter(d => d.severity === 'error').map(d => `${f.path}: ${d.code}: ${d.message}`));
        expect(errors).toEqual([]);
    });

    it('name the plan', () => {
        expect(instantiate(PLAN_TEMPLATES[0], 'Spring "win-back"')).toContain('plan "Spring win-back" {');
    });
});

describe('snippets and language configuration', () => {
    it('are valid and cover plan, campaign, goal, segment and rfm', () => {
        const snippets = JSON.parse(fs.readFileSync(path.join(root, 'snippets/mplan.code-snippets'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
        const prefixes = Object.values(snippets).map(s => s.prefix);
        for (const prefix of ['plan', 'campaign', 'goal', 'segment', 'rfm']) expect(prefixes).toContain(prefix);
        const config = JSON.parse(fs.readFileSync(path.join(root, 'language-configuration.json'), 'utf8'));
        expect(config.comments).toEqual({ lineComment: '//', blockComment: ['/*', '*/'] });
        for (const pattern of Object.values(config.indentationRules) as string[]) expect(() => new RegExp(pattern)).not.toThrow();
    });
});

describe('the clv and attitude snippets', () => {
    /** A snippet's body with each placeholder at its default (the first choice of a list), tabs as two spaces. */
    const expand = (lines: string[]) => lines.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\t/g, '  ');

    it('expand to a CLV model and an attitude that check clean and are laid out as the formatter lays them out', () => {
        const snippets = JSON.parse(fs.readFileSync(path.join(root, 'snippets/mplan.code-snippets'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
        const clv = Object.values(snippets).find(s => s.prefix === 'clv')!;
        const attitude = Object.values(snippets).find(s => s.prefix === 'attitude')!;
        const models = `${expand(clv.body)}\n${expand(attitude.body)}`;
        expect(models).toContain('  horizon 52 weeks\n');
        expect(models).toContain('  model bgnbd\n');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-snippets-'));
        const text = ['plan "Snippets" {', '  objective retention', '  customers buyers from "buyers.csv" key id',
            '  events purchases from "purchases.csv" customer id time at {', '    amount: number', '  }',
            '  events contacts from "contacts.csv" customer id time at {', '    channel: text', '    responded: boolean', '  }',
            ...models.split('\n').map(l => `  ${l}`), '}', ''].join('\n');
        fs.writeFileSync(path.join(dir, 'plan.mplan'), text);
        const result = check(dir);
        const formatted = execFileSync(process.execPath, [path.join(root, 'bin/mplan.js'), 'fmt', '--check', 'plan.mplan'], { cwd: dir, encoding: 'utf8' });
        fs.rmSync(dir, { recursive: true, force: true });
        expect(result.files[0].diagnostics.filter(d => d.code !== 'data-file-missing').map(d => `${d.code}: ${d.message}`)).toEqual([]);
        expect(formatted).toBe('');
    });
});
