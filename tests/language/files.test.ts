// What needs real files: data files, imports across documents, re-validation of importers when an imported file
// changes, and files the loader refuses (file-unreadable).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AstUtils, EmptyFileSystem, URI } from 'langium';
import type { LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Campaign, ChannelStep, Model } from '../../src/language/generated/ast.js';
import { MAX_PLAN_BYTES, loadDocuments } from '../../src/language/load-documents.js';
import { createMplanServices } from '../../src/language/mplan-module.js';
import type { Result } from './helpers.js';
import { describeDiagnostics, expectCode, expectNoCode, withCode } from './helpers.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-language-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let dir: string;
let counter = 0;
beforeEach(() => {
    dir = path.join(root, `case${++counter}`);
    fs.mkdirSync(dir, { recursive: true });
});

function write(files: Record<string, string | Buffer>): void {
    for (const [name, content] of Object.entries(files)) {
        const file = path.join(dir, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
    }
}

/** Loads plan files from the case folder the way the CLI does; returns one Result per file, with its text. */
async function load(...names: string[]) {
    const services = createMplanServices(NodeFileSystem);
    const loaded = await loadDocuments(services.Mplan, names.map(n => path.join(dir, n)));
    const results = loaded.map((l): Result => ({
        document: l.document as LangiumDocument<Model>,
        model: l.document?.parseResult.value as Model,
        diagnostics: l.diagnostics,
        text: l.document?.textDocument.getText() ?? ''
    }));
    return { services, results };
}

/** The diagnostics a built document holds now (after a rebuild, the document object may carry new ones). */
function current(services: ReturnType<typeof createMplanServices>, file: string): Result {
    const document = services.shared.workspace.LangiumDocuments.getDocument(URI.file(path.join(dir, file))) as LangiumDocument<Model>;
    return { document, model: document.parseResult.value, diagnostics: document.diagnostics ?? [], text: document.textDocument.getText() };
}

const PLAN_HEAD = 'plan "p" {\n  objective growth\n';

describe('data files', () => {
    const source = 'customers people from "data/people.csv" key id\nevents orders from "../orders.parquet" customer id time at\n';

    // A `.git` file (as in a git worktree) makes the case folder the plans' root, so `../orders.parquet` is inside.
    it('warns about each data file that does not exist, relative to the plan file', async () => {
        write({ '.git': 'gitdir: elsewhere\n', 'plans/plan.mplan': source });
        const { results: [plan] } = await load('plans/plan.mplan');
        expectCode(plan, 'data-file-missing', 'warning', 1, `Data file 'data/people.csv' does not exist (looked for ${path.join(dir, 'plans/data/people.csv')})`);
        expectCode(plan, 'data-file-missing', 'warning', 2, "Data file '../orders.parquet' does not exist");
        expect(plan.diagnostics.filter(d => d.severity === 1)).toEqual([]);
    });

    it('says nothing once the files are there', async () => {
        write({ '.git': 'gitdir: elsewhere\n', 'plans/plan.mplan': source, 'plans/data/people.csv': 'id\n1\n', 'orders.parquet': '' });
        const { results: [plan] } = await load('plans/plan.mplan');
        expectNoCode(plan, 'data-file-missing');
        expect(describeDiagnostics(plan.diagnostics)).toBe('');
    });
});

describe('data paths outside the root', () => {
    const plan = (path1: string, path2 = 'data/ok.csv') => `customers people from ${JSON.stringify(path1)} key id\nevents orders from ${JSON.stringify(path2)} customer id time at\n`;

    it('warns on a path above the plan\'s folder when no .git is above it, without looking for the file', async () => {
        write({ 'plans/plan.mplan': plan('../secret.csv'), 'secret.csv': 'id\n1\n', 'plans/data/ok.csv': 'id,at\n' });
        const { results: [result] } = await load('plans/plan.mplan');
        expectCode(result, 'data-path-outside-root', 'warning', 1, `Data file '../secret.csv' is outside the plan's root folder ${path.join(dir, 'plans')}`);
        expect(withCode(result, 'data-path-outside-root')).toHaveLength(1);
        expect(describeDiagnostics(result.diagnostics.filter(d => d.code !== 'data-path-outside-root'))).toBe('');
    });

    it('never probes an outside path: a missing file outside gets no data-file-missing', async () => {
        write({ 'plans/plan.mplan': plan('/nonexistent-mplan-dir/x.csv', '../../missing.csv') });
        const { results: [result] } = await load('plans/plan.mplan');
        expect(withCode(result, 'data-path-outside-root').map(d => d.range.start.line)).toEqual([0, 1]);
        expectNoCode(result, 'data-file-missing');
    });

    it('takes the nearest folder holding .git (a folder or a file) as the root', async () => {
        write({ '.git/HEAD': 'ref: refs/heads/main\n', 'plans/q4/plan.mplan': plan('../../data/people.csv', '../../data/orders.csv'), 'data/people.csv': 'id\n', 'data/orders.csv': 'id,at\n' });
        const { results: [result] } = await load('plans/q4/plan.mplan');
        expectNoCode(result, 'data-path-outside-root');
        expectNoCode(result, 'data-file-missing');
    });

    it('resolves symlinks: a link inside the repository to a file outside it is outside', async () => {
        write({ '.git': 'gitdir: elsewhere\n', 'plans/plan.mplan': plan('passwd.csv'), 'plans/data/ok.csv': 'id,at\n' });
        fs.symlinkSync('/etc/passwd', path.join(dir, 'plans/passwd.csv'));
        const { results: [result] } = await load('plans/plan.mplan');
        expectCode(result, 'data-path-outside-root', 'warning', 1);
        expect(withCode(result, 'data-path-outside-root')).toHaveLength(1);
    });

    it('accepts folders listed in MPLAN_DATA_ROOTS', async () => {
        write({ 'plans/plan.mplan': plan('../shared/people.csv'), 'shared/people.csv': 'id\n1\n', 'plans/data/ok.csv': 'id,at\n' });
        const previous = process.env.MPLAN_DATA_ROOTS;
        process.env.MPLAN_DATA_ROOTS = ['/nonexistent-mplan-dir', path.join(dir, 'shared')].join(path.delimiter);
        try {
            const { results: [result] } = await load('plans/plan.mplan');
            expect(describeDiagnostics(result.diagnostics)).toBe('');
        } finally {
            if (previous === undefined) delete process.env.MPLAN_DATA_ROOTS; else process.env.MPLAN_DATA_ROOTS = previous;
        }
    });
});

describe('imports', () => {
    const channels = 'channel email cost 0.02 per contact\nchannel sms cost 0.06 per contact\n';
    const uses = (importLine: string, channel = 'email') =>
        `${importLine}\n${PLAN_HEAD}  campaign c {\n    audience everyone\n    channel ${channel}\n    runs 2026-01-01 to 2026-01-31\n  }\n}\n`;

    it('link names to the declarations of the imported file', async () => {
        write({ 'shared/channels.mplan': channels, 'plans/plan.mplan': uses('import "../shared/channels.mplan"') });
        const { services, results: [plan] } = await load('plans/plan.mplan');
        expect(describeDiagnostics(plan.diagnostics)).toBe('');
        const step = (plan.model.plans[0].declarations[0] as Campaign).statements[1] as ChannelStep;
        const shared = services.shared.workspace.LangiumDocuments.getDocument(URI.file(path.join(dir, 'shared/channels.mplan')))!;
        expect(AstUtils.getDocument(step.channel.ref!).uri.toString()).toBe(shared.uri.toString());
        expect(step.channel.ref?.name).toBe('email');
    });

    it('reach through imports of imports, and tolerate cycles', async () => {
        write({
            'a.mplan': uses('import "b.mplan"', 'sms'),
            'b.mplan': 'import "c.mplan"\nimport "a.mplan"\nsegment from_b = everyone\n',
            'c.mplan': `import "b.mplan"\n${channels}`
        });
        const { results: [a] } = await load('a.mplan');
        expect(describeDiagnostics(a.diagnostics)).toBe('');
    });

    it('do not leak: a file that is loaded but not imported is not in scope', async () => {
        write({ 'shared.mplan': channels, 'plan.mplan': uses('') });
        const { results: [, plan] } = await load('shared.mplan', 'plan.mplan');
        expectCode(plan, 'unresolved-reference', 'error', 'channel email', "Unknown channel 'email'.");
    });

    it('let a local declaration shadow an imported one of the same name', async () => {
        write({ 'shared.mplan': channels, 'plan.mplan': uses('import "shared.mplan"').replace('  campaign c', '  channel email cost 9 per contact\n  campaign c') });
        const { results: [plan] } = await load('plan.mplan');
        const step = (plan.model.plans[0].declarations[1] as Campaign).statements[1] as ChannelStep;
        expect(step.channel.ref?.cost).toBe(9);
    });

    it('report a missing import on its line, and not an existing one', async () => {
        write({ 'shared.mplan': channels, 'plan.mplan': uses('import "shared.mplan"\nimport "sub/missing.mplan"') });
        const { results: [plan] } = await load('plan.mplan');
        expectCode(plan, 'import-not-found', 'error', 2, `Imported file 'sub/missing.mplan' does not exist (looked for ${path.join(dir, 'sub/missing.mplan')}).`);
        expect(withCode(plan, 'import-not-found')).toHaveLength(1);
    });

    it('report a file importing itself, however the path is spelt', async () => {
        write({ 'sub/plan.mplan': uses('import "../sub/./plan.mplan"') });
        const { results: [plan] } = await load('sub/plan.mplan');
        expectCode(plan, 'import-self', 'error', 1, 'A file cannot import itself.');
        expectNoCode(plan, 'import-not-found');
    });

    it('find the revenue metric of an imported file for roi goals', async () => {
        const roiPlan = (importLine: string) => `${importLine}\n${PLAN_HEAD}  channel email cost 1 per contact\n  campaign c {\n    audience everyone\n    channel email\n    runs 2026-01-01 to 2026-01-31\n    goal roi >= 1 by 2026-03-31\n  }\n}\n`;
        write({
            'metrics.mplan': 'import "sources.mplan"\nmetric revenue = sum(orders.amount)\n',
            'sources.mplan': 'events orders from "orders.csv" customer id time at {\n  amount: number\n}\n',
            'with.mplan': roiPlan('import "metrics.mplan"'),
            'without.mplan': roiPlan('import "sources.mplan"')
        });
        const { results: [withRevenue, withoutRevenue] } = await load('with.mplan', 'without.mplan');
        expectNoCode(withRevenue, 'roi-needs-value');
        expectCode(withoutRevenue, 'roi-needs-value', 'error', 'goal roi');
    });
});

describe('re-validation when an imported file changes', () => {
    const roiPlan = `import "metrics.mplan"\n${PLAN_HEAD}  channel email cost 1 per contact\n  campaign c {\n    audience everyone\n    channel email\n    runs 2026-01-01 to 2026-01-31\n    goal roi >= 1 by 2026-03-31\n  }\n}\n`;
    const metrics = (name: string) => `events orders from "orders.csv" customer id time at {\n  amount: number\n}\nmetric ${name} = sum(orders.amount)\n`;

    it('updates the importer when the imported file changes on disk (DocumentBuilder.update)', async () => {
        write({ 'metrics.mplan': metrics('revenue'), 'plan.mplan': roiPlan, 'orders.csv': '' });
        const { services } = await load('plan.mplan');
        expectNoCode(current(services, 'plan.mplan'), 'roi-needs-value');

        // No reference of the importer points into metrics.mplan: only the importer's own validation depends on it.
        write({ 'metrics.mplan': metrics('sales') });
        await services.shared.workspace.DocumentBuilder.update([URI.file(path.join(dir, 'metrics.mplan'))], []);
        expectCode(current(services, 'plan.mplan'), 'roi-needs-value', 'error', 'goal roi');

        write({ 'metrics.mplan': metrics('revenue') });
        await services.shared.workspace.DocumentBuilder.update([URI.file(path.join(dir, 'metrics.mplan'))], []);
        expectNoCode(current(services, 'plan.mplan'), 'roi-needs-value');
    });

    it('reports a renamed declaration in every importer, and clears it when renamed back', async () => {
        write({ 'channels.mplan': 'channel email cost 1 per contact\n', 'plan.mplan': `import "channels.mplan"\n${PLAN_HEAD}  campaign c {\n    audience everyone\n    channel email\n    runs 2026-01-01 to 2026-01-31\n  }\n}\n` });
        const { services } = await load('plan.mplan');
        expect(describeDiagnostics(current(services, 'plan.mplan').diagnostics)).toBe('');
        const channelsUri = URI.file(path.join(dir, 'channels.mplan'));

        write({ 'channels.mplan': 'channel mail cost 1 per contact\n' });
        await services.shared.workspace.DocumentBuilder.update([channelsUri], []);
        expectCode(current(services, 'plan.mplan'), 'unresolved-reference', 'error', 'channel email', "Unknown channel 'email'. Did you mean 'mail'?");

        write({ 'channels.mplan': 'channel email cost 1 per contact\n' });
        await services.shared.workspace.DocumentBuilder.update([channelsUri], []);
        expect(describeDiagnostics(current(services, 'plan.mplan').diagnostics)).toBe('');
    });

    it('reports names lost when the imported document is deleted from the workspace', async () => {
        write({ 'channels.mplan': 'channel email cost 1 per contact\n', 'plan.mplan': `import "channels.mplan"\n${PLAN_HEAD}  campaign c {\n    audience everyone\n    channel email\n    runs 2026-01-01 to 2026-01-31\n  }\n}\n` });
        const { services } = await load('plan.mplan');
        await services.shared.workspace.DocumentBuilder.update([], [URI.file(path.join(dir, 'channels.mplan'))]);
        expectCode(current(services, 'plan.mplan'), 'unresolved-reference', 'error', 'channel email');
    });

    it('updates the importer when an editor changes the imported text (TextDocuments, in memory)', async () => {
        const { shared } = createMplanServices(EmptyFileSystem);
        const factory = shared.workspace.LangiumDocumentFactory;
        const documents = shared.workspace.LangiumDocuments;
        const metricsUri = URI.parse('memory:///ws/metrics.mplan');
        const planUri = URI.parse('memory:///ws/plans/plan.mplan');
        const imported = factory.fromString(metrics('revenue'), metricsUri);
        const importer = factory.fromString(roiPlan.replace('import "metrics.mplan"', 'import "../metrics.mplan"'), planUri);
        documents.addDocument(imported);
        documents.addDocument(importer);
        await shared.workspace.DocumentBuilder.build([imported, importer], { validation: true });
        const diagnosticsOf = () => documents.getDocument(planUri)!.diagnostics ?? [];
        expect(describeDiagnostics(diagnosticsOf())).toBe('');

        shared.workspace.TextDocuments!.set(TextDocument.create(metricsUri.toString(), 'mplan', 2, metrics('sales')));
        await shared.workspace.DocumentBuilder.update([metricsUri], []);
        expect(diagnosticsOf().map(d => d.code)).toEqual(['roi-needs-value']);

        shared.workspace.TextDocuments!.set(TextDocument.create(metricsUri.toString(), 'mplan', 3, metrics('revenue')));
        await shared.workspace.DocumentBuilder.update([metricsUri], []);
        expect(describeDiagnostics(diagnosticsOf())).toBe('');
    });
});

describe('files the loader refuses (file-unreadable)', () => {
    it('reports a missing file, a folder, a binary file and a file over the size limit', async () => {
        write({ 'folder/x.mplan': 'channel a\n', 'binary.mplan': Buffer.from([0x63, 0x68, 0x00, 0x01]), 'huge.mplan': Buffer.alloc(MAX_PLAN_BYTES + 1, 0x20) });
        const { results } = await load('missing.mplan', 'folder', 'binary.mplan', 'huge.mplan');
        const expected = [/File not found\./, /This is a folder/, /File is binary/, /plans larger than 5 MB are not read/];
        results.forEach((result, i) => {
            expect(result.diagnostics.map(d => [d.code, d.severity, d.range.start.line])).toEqual([['file-unreadable', 1, 0]]);
            expect(result.diagnostics[0].message).toMatch(expected[i]);
        });
    });

    it('refuses a named pipe instead of blocking on it', async () => {
        const fifo = path.join(dir, 'pipe.mplan');
        execFileSync('mkfifo', [fifo]);
        const { results: [result] } = await load('pipe.mplan');
        expect(result.diagnostics.map(d => [d.code, d.severity])).toEqual([['file-unreadable', 1]]);
        expect(result.diagnostics[0].message).toMatch(/not a regular file/);
    });

    it('warns about an empty file (file-empty), and only about that', async () => {
        write({ 'empty.mplan': '', 'blank.mplan': '  \n\n' });
        const { results } = await load('empty.mplan', 'blank.mplan');
        for (const result of results) {
            expect(result.diagnostics.map(d => [d.code, d.severity, d.range.start.line])).toEqual([['file-empty', 2, 0]]);
        }
    });

    it('reads a file with a byte-order mark, and reports nothing for it', async () => {
        write({ 'bom.mplan': '\ufeffchannel email cost 1 per contact\n' });
        const { results: [result] } = await load('bom.mplan');
        expect(describeDiagnostics(result.diagnostics)).toBe('');
        expect(result.model.declarations).toHaveLength(1);
    });

    it('reports only the requested files, not what they import', async () => {
        write({ 'shared.mplan': 'channel broken cost 1 per contact capacity 0 per day\n', 'plan.mplan': 'import "shared.mplan"\nchannel ok\n' });
        const { services, results } = await load('plan.mplan');
        expect(results).toHaveLength(1);
        expect(describeDiagnostics(results[0].diagnostics)).toBe('');
        expectCode(current(services, 'shared.mplan'), 'channel-cost', 'error', 1);
    });
});

describe('imports of files that are not plans', () => {
    it('reports an import of a data file on its line, and does not crash the loader', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-import-csv-'));
        fs.writeFileSync(path.join(dir, 'people.csv'), 'id\n1\n');
        const file = path.join(dir, 'plan.mplan');
        fs.writeFileSync(file, 'import "people.csv"\nplan "P" { objective growth }\n');
        const { Mplan } = createMplanServices(NodeFileSystem);
        const [loaded] = await loadDocuments(Mplan, [file]);
        const errors = loaded.diagnostics.filter(d => d.severity === 1);
        expect(errors.map(e => [e.code, e.range.start.line + 1])).toEqual([['import-not-found', 1]]);
        expect(errors[0].message).toContain('Only .mplan files can be imported');
    });

    it('takes the .mplan extension case-sensitively, as the CLI does', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-import-case-'));
        fs.writeFileSync(path.join(dir, 'Other.MPLAN'), 'channel x\n');
        const file = path.join(dir, 'plan.mplan');
        fs.writeFileSync(file, 'import "Other.MPLAN"\nplan "P" { objective growth }\n');
        const { Mplan } = createMplanServices(NodeFileSystem);
        const [loaded] = await loadDocuments(Mplan, [file]);
        expect(loaded.diagnostics.filter(d => d.severity === 1).map(e => e.code)).toEqual(['import-not-found']);
    });
});

describe('did you mean', () => {
    it('treats two swapped letters as one typo', async () => {
        const { closestName, editDistance } = await import('../../src/language/validation/suggest.js');
        expect(editDistance('emial', 'email')).toBe(1);
        expect(editDistance('kitten', 'sitting')).toBe(3);
        expect(closestName('emial', ['sms', 'email', 'mail'])).toBe('email');
        expect(closestName('zzzzzz', ['email'])).toBeUndefined();
    });
});
