// examples/ci/github-workflow.yml: valid YAML that runs on pull requests touching plans, pins mplan, needs no secret,
// and whose commands run against a repository made by the test: the check, the diff into the comment file, and the
// script that posts the comment once and updates it after.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, removeDir, repoRoot } from './helpers.js';
import { PLAN, edit, exampleRepository, git, readPlan, writePlan } from './diff-helpers.js';

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    env?: Record<string, string>;
    with?: Record<string, string | number>;
}
interface Workflow {
    on: { pull_request: { paths: string[] } };
    permissions: Record<string, string>;
    jobs: Record<string, { steps: Step[] }>;
}

const file = path.join(repoRoot, 'examples/ci/github-workflow.yml');
const text = fs.readFileSync(file, 'utf8');
const workflow = yaml.load(text) as Workflow;
const steps = Object.values(workflow.jobs)[0].steps;
const named = (name: RegExp) => steps.find(s => s.name !== undefined && name.test(s.name))!;

/** `${{ github.base_ref }}` and `${{ runner.temp }}`, as GitHub would fill them in for this pull request. */
function expand(value: string, context: Record<string, string>): string {
    return value.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
        if (!(name in context)) throw new Error(`the test does not know \${{ ${name} }}`);
        return context[name];
    });
}

describe('the GitHub workflow', () => {
    it('is valid YAML that runs on pull requests touching plans, pins mplan and needs no secret', () => {
        expect(workflow.on.pull_request.paths).toContain('**.mplan');
        expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
        expect(text).not.toMatch(/secrets\./);
        const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
        expect(named(/install mplan/i).run).toContain(`mplan@${version}`);
        expect(steps.find(s => s.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth']).toBe(0);
        // Every run step but the install uses the installed mplan, never a download at run time.
        for (const step of steps.filter(s => s.run && !/install/i.test(s.name ?? ''))) expect(step.run).not.toMatch(/npx (?!--no-install )mplan/);
    });

    describe('its commands, on a pull request of a repository made by the test', () => {
        let dir: string;
        let temp: string;
        const context = () => ({ 'github.base_ref': 'main', 'github.event.pull_request.number': '7', 'runner.temp': temp });

        beforeAll(() => {
            assertBuilt();
            dir = exampleRepository();
            temp = makeTempDir();
            // The base branch as actions/checkout with fetch-depth 0 leaves it, and the pull request's change on top.
            git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
            git(dir, 'checkout', '-q', '-b', 'bigger-control');
            writePlan(dir, edit(readPlan(dir), 'control 20% seed "winback-2026"', 'control 30% seed "winback-2026"'));
            git(dir, 'commit', '-q', '-am', 'A bigger control group');
            // What the install step leaves: mplan's command in node_modules/.bin (here, this checkout's).
            fs.mkdirSync(path.join(dir, 'node_modules/.bin'), { recursive: true });
            fs.symlinkSync(path.join(repoRoot, 'bin/mplan.js'), path.join(dir, 'node_modules/.bin/mplan'));
        });
        afterAll(() => {
            removeDir(dir);
            removeDir(temp);
        });

        const run = (step: Step) => {
            const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, context())]));
            return execFileSync('bash', ['-e', '-o', 'pipefail', '-c', step.run!], {
                cwd: dir, encoding: 'utf8', timeout: 60_000,
                env: { ...process.env, ...env, RUNNER_TEMP: temp, GITHUB_ACTIONS: 'true', NO_COLOR: '1', npm_config_offline: 'true' }
            });
        };

        it('checks the plans, writing annotations for problems', () => {
            expect(run(named(/check/i))).toContain('0 errors, 0 warnings');
            writePlan(dir, edit(readPlan(dir), 'goal roi >= 1.5', 'goal roi >= 1.5 by 2026-11-15 by'));
            let failed: { status?: number; stdout?: string } = {};
            try {
                run(named(/check/i));
            } catch (error) {
                failed = error as typeof failed;
            }
            expect(failed.status).toBe(1);
            expect(failed.stdout).toMatch(/^::error file=retention\/winback\.mplan,line=\d+,col=\d+/m);
            git(dir, 'checkout', '-q', '--', PLAN);
        });

        it('writes the diff against the base branch into the comment file, under the comment\'s marker', () => {
            run(named(/what the change means/i));
            const body = fs.readFileSync(path.join(temp, 'mplan-diff.md'), 'utf8');
            expect(body.split('\n')[0]).toBe('<!-- mplan diff -->');
            expect(body).toMatch(/^\*\*mplan diff against origin\/main \([0-9a-f]{7}\): 1 plan of 1 changed, 1 change\.\*\*$/m);
            expect(body).toContain('| changed | control | `20%` | `30%` |');
            expect(body).toMatch(/\| changed \| control group \| [\d,]+ \| [\d,]+ \|/);
        });

        it('posts the comment once and updates it on the next push', async () => {
            const step = named(/comment/i);
            const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, context())]));
            const comments: Array<{ id: number; body: string; user: { type: string } }> = [{ id: 1, body: 'Looks good', user: { type: 'User' } }];
            const calls: string[] = [];
            const rest = {
                issues: {
                    listComments: async () => ({ data: comments }),
                    createComment: async ({ body }: { body: string }) => {
                        calls.push('create');
                        comments.push({ id: comments.length + 1, body, user: { type: 'Bot' } });
                    },
                    updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
                        calls.push(`update ${comment_id}`);
                        comments.find(c => c.id === comment_id)!.body = body;
                    }
                }
            };
            const github = { rest, paginate: async (list: () => Promise<{ data: unknown[] }>) => (await list()).data };
            const script = { repo: { owner: 'acme', repo: 'plans' }, issue: { number: 7 } };
            const saved = { ...process.env };
            Object.assign(process.env, env);
            try {
                const body = new Function('github', 'context', 'require', `return (async () => {\n${step.with!.script}\n})();`);
                await body(github, script, (name: string) => (name === 'fs' ? fs : undefined));
                await body(github, script, (name: string) => (name === 'fs' ? fs : undefined));
            } finally {
                process.env = saved;
            }
            expect(calls).toEqual(['create', 'update 2']);
            expect(comments).toHaveLength(2);
            expect(comments[1].body).toContain('| changed | control | `20%` | `30%` |');
        });
    });
});
