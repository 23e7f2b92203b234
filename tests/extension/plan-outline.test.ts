// The client's light scan of plans (code lenses, report links): campaigns and goals with their lines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignAt, outlinePlan } from '../../src/extension/plan-outline.js';

const root = path.resolve(__dirname, '../..');

describe('outlinePlan', () => {
    it('finds the plan, its campaigns and their goals in the win-back example', () => {
        const text = fs.readFileSync(path.join(root, 'examples/retention/winback.mplan'), 'utf8');
        const lines = text.split('\n');
        const outline = outlinePlan(text);
        expect(outline.planName).toBe('Autumn win-back');
        expect(outline.campaigns.map(c => c.name)).toEqual(['winback', 'vip_thanks']);
        const [winback, vip] = outline.campaigns;
        expect(lines[winback.line]).toMatch(/^\s*campaign winback \{/);
        expect(winback.character).toBe(lines[winback.line].indexOf('campaign'));
        expect(winback.goals).toHaveLength(4);
        expect(winback.goals[0]).toMatchObject({ index: 0, label: 'More lapsed buyers come back' });
        for (const goal of [...winback.goals, ...vip.goals]) expect(lines[goal.line]).toMatch(/^\s*goal\b/);
        expect(vip.goals.map(g => g.text)).toEqual(['goal lift(revenue) >= 5% by 2026-11-15', 'goal cost <= 3000 by 2026-10-14']);
        expect(lines[winback.endLine].trim()).toBe('}');
        expect(campaignAt(outline, winback.goals[2].line)?.name).toBe('winback');
        expect(campaignAt(outline, 0)).toBeUndefined();
    });

    it('ignores comments, strings and keywords used as names', () => {
        const text = [
            '// campaign commented { goal x }',
            'plan "P { campaign fake {" {',
            '  /* campaign also_commented {',
            '     goal nope */',
            '  customers c from "x.csv" { campaign: text  goal: number }',
            '  segment s = c.campaign = "campaign x {"',
            '  campaign real {',
            '    audience everyone',
            '    goal "label with } brace": mean(m) >= 1 by 2026-01-01',
            '    goal roi >= 1',
            '  }',
            '}'
        ].join('\n');
        const outline = outlinePlan(text);
        expect(outline.planName).toBe('P { campaign fake {');
        expect(outline.campaigns).toHaveLength(1);
        expect(outline.campaigns[0]).toMatchObject({ name: 'real', line: 6, endLine: 10 });
        expect(outline.campaigns[0].goals.map(g => [g.line, g.label])).toEqual([[8, 'label with } brace'], [9, undefined]]);
    });

    it('copes with an unfinished campaign and a library file without a plan', () => {
        expect(outlinePlan('plan "x" {\n  campaign a {\n    goal roi >= 1').campaigns[0]).toMatchObject({ name: 'a', endLine: 2, goals: [{ line: 2 }] });
        const library = fs.readFileSync(path.join(root, 'examples/shared/channels.mplan'), 'utf8');
        expect(outlinePlan(library)).toEqual({ campaigns: [] });
    });
});
