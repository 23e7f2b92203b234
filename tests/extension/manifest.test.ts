// The extension's manifest (package.json): commands, palette clauses, trust, the task problem matcher.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const COMMANDS = ['mplan.runEvaluation', 'mplan.showReport', 'mplan.exportAudience', 'mplan.checkWorkspace', 'mplan.newPlan', 'mplan.restartServer',
    'mplan.compareWithBase', 'mplan.chooseDiffBase', 'mplan.clearDiffBase', 'mplan.setEnginePassword', 'mplan.clearEnginePassword'];

describe('extension manifest', () => {
    it('activates on the language and on workspaces with plans, from the bundled client', () => {
        expect(pkg.main).toBe('./dist/extension.cjs');
        expect(pkg.activationEvents).toEqual(['onLanguage:mplan', 'workspaceContains:**/*.mplan', 'onWebviewPanel:mplan.report', 'onWebviewPanel:mplan.compare']);
        expect(pkg.capabilities.untrustedWorkspaces.supported).toBe('limited');
        const typesVersion = pkg.devDependencies['@types/vscode'];
        expect(pkg.engines.vscode).toBe(`^${typesVersion}`); // vsce refuses @types/vscode newer than the engine
    });

    it('contributes every command in category mplan, registered by the extension, in the palette only where it applies', () => {
        const source = fs.readdirSync(path.join(root, 'src/extension')).filter(f => f.endsWith('.ts'))
            .map(f => fs.readFileSync(path.join(root, 'src/extension', f), 'utf8')).join('\n');
        const contributed = pkg.contributes.commands as { command: string; title: string; category: string; enablement?: string }[];
        for (const id of COMMANDS) expect(contributed.map(c => c.command)).toContain(id);
        const palette = new Map((pkg.contributes.menus.commandPalette as { command: string; when: string }[]).map(m => [m.command, m.when]));
        for (const command of contributed) {
            expect(command.category).toBe('mplan');
            expect(source).toContain(`'${command.command}'`);
            expect(palette.get(command.command), command.command).toBeTruthy();
        }
        // Compare with Base runs git and reads the plan's data, like an evaluation.
        for (const id of ['mplan.runEvaluation', 'mplan.exportAudience', 'mplan.newPlan', 'mplan.compareWithBase', 'mplan.chooseDiffBase']) {
            expect(contributed.find(c => c.command === id)?.enablement).toBe('isWorkspaceTrusted');
            expect(palette.get(id)).toContain('isWorkspaceTrusted');
        }
        expect(palette.get('mplan.runEvaluation')).toContain('editorLangId == mplan');
        expect(palette.get('mplan.compareWithBase')).toContain('editorLangId == mplan');
        const title = pkg.contributes.menus['editor/title'] as { command: string; when: string }[];
        expect(title.find(m => m.command === 'mplan.compareWithBase')?.when).toContain('isWorkspaceTrusted');
    });

    it('has settings under mplan., including the server trace', () => {
        const settings = Object.keys(pkg.contributes.configuration.properties);
        for (const key of ['mplan.reports.folder', 'mplan.codeLens.audienceSizes', 'mplan.trace.server']) expect(settings).toContain(key);
        for (const key of settings) expect(key).toMatch(/^mplan\./);
        expect(pkg.contributes.configuration.properties['mplan.node.path'].scope).toBe('machine');
    });

    it('has mplan.data.roots, a list of folders an untrusted workspace cannot set, passed to every run as --data-root', () => {
        const roots = pkg.contributes.configuration.properties['mplan.data.roots'];
        expect(roots.type).toBe('array');
        expect(roots.items.type).toBe('string');
        expect(roots.default).toEqual([]);
        expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain('mplan.data.roots');
        const read = (file: string) => fs.readFileSync(path.join(root, 'src/extension', file), 'utf8');
        expect(read('settings.ts')).toMatch(/'data\.roots'/);
        // Every place that starts `mplan run`, `mplan audience` or `mplan diff` passes the roots.
        for (const file of ['commands.ts', 'audience-sizes.ts', 'tasks.ts', 'compare.ts']) {
            const text = read(file);
            const runs = text.match(/\[\s*'(run|audience|diff)',[^\]]*\]/g) ?? [];
            expect(runs.length, file).toBeGreaterThan(0);
            for (const args of runs) expect(args, file).toContain('...dataRootArgs(');
        }
    });

    it('has mplan.engine, a resource setting an untrusted workspace cannot set, given to every run of a plan', () => {
        const engine = pkg.contributes.configuration.properties['mplan.engine'];
        expect(engine.type).toBe('string');
        expect(engine.default).toBe('');
        expect(engine.scope).toBe('resource');
        expect(engine.markdownDescription).toContain('mplan: Set Engine Password');
        expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain('mplan.engine');
        const contributed = pkg.contributes.commands as { command: string; title: string; enablement?: string }[];
        expect(contributed.find(c => c.command === 'mplan.setEnginePassword')).toMatchObject({ title: 'Set Engine Password', enablement: 'isWorkspaceTrusted' });
        expect(contributed.find(c => c.command === 'mplan.clearEnginePassword')).toMatchObject({ title: 'Clear Engine Password', enablement: 'isWorkspaceTrusted' });
        // Every place that starts `mplan run`, `mplan audience` or `mplan diff` names the plan, whose engine setting applies.
        const read = (file: string) => fs.readFileSync(path.join(root, 'src/extension', file), 'utf8');
        let runs = 0;
        for (const file of ['commands.ts', 'audience-sizes.ts', 'compare.ts']) {
            for (const [, options] of read(file).matchAll(/cli\.run\(args, \{([\s\S]*?)\btoken\b/g)) {
                runs++;
                expect(options, file).toMatch(/\bplan\b/);
            }
        }
        expect(runs).toBe(4); // Run Evaluation, Export Audience, the audience sizes, Compare with Base and the diff lenses
    });

    it('matches `mplan check` output with the $mplan problem matcher', () => {
        const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'mplan');
        const pattern = new RegExp(matcher.pattern.regexp);
        let output: string;
        try {
            output = execFileSync(process.execPath, [path.join(root, 'bin/mplan.js'), 'check', '../shared/spec/not-smart.mplan'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        } catch (error) {
            output = (error as { stdout: string }).stdout;
        }
        const lines = output.trim().split('\n');
        const matched = lines.map(line => pattern.exec(line)).filter(m => m !== null);
        expect(matched.length).toBe(lines.length - 1); // all but the summary line
        const first = matched.find(m => m![6] === 'goal-no-deadline')!;
        expect(first[matcher.pattern.file]).toBe('../shared/spec/not-smart.mplan');
        expect(first[matcher.pattern.line]).toBe('17');
        expect(first[matcher.pattern.severity]).toBe('error');
        expect(first[matcher.pattern.message]).toMatch(/no deadline/);
        expect(pattern.exec(lines.at(-1)!)).toBeNull();
    });

    it('defines the mplan task type with check and run', () => {
        const task = pkg.contributes.taskDefinitions.find((t: { type: string }) => t.type === 'mplan');
        expect(task.properties.command.enum).toEqual(['check', 'run']);
    });
});
