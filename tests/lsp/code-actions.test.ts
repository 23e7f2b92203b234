// Quick fixes: add a deadline to a goal without one; change an unknown name to the suggested one; declare a
// missing metric. Each fix is applied and the resulting text checked, and the diagnostic it fixes must be gone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { testCodeAction } from 'langium/test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { Mplan, applyEdits, parse, textDocumentId } from './helpers.js';

const NOT_SMART = fs.readFileSync(path.resolve(__dirname, '../../../shared/spec/not-smart.mplan'), 'utf8');

function diagnosticsWith(document: LangiumDocument, code: string): Diagnostic[] {
    return (document.diagnostics ?? []).filter(d => d.code === code);
}

async function actionsFor(document: LangiumDocument, diagnostic: Diagnostic): Promise<CodeAction[]> {
    const actions = await Mplan.lsp.CodeActionProvider!.getCodeActions(document, {
        textDocument: textDocumentId(document),
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] }
    });
    return (actions ?? []) as CodeAction[];
}

function apply(document: LangiumDocument, action: CodeAction): string {
    return applyEdits(document, action.edit!.changes![document.textDocument.uri]);
}

const CAMPAIGN = (statements: string) => `plan "p" {
  objective growth
  customers people from "people.csv" key id {
    spend: number
  }
  events orders from "orders.csv" customer id time at {
    amount: number
  }
  channel sms cost 0.05 per contact
  metric revenue = sum(orders.amount)

  // The spring campaign.
  campaign spring {
    audience everyone
    channel sms
${statements}
  }
}
`;

describe('quick fix: goal-no-deadline', () => {
    it('adds the end of the campaign plus the default attribution window (langium/test)', async () => {
        const before = CAMPAIGN('    runs 2026-05-01 to 2026-05-31\n    goal total(revenue) >= 100');
        await testCodeAction(Mplan)(before, 'goal-no-deadline', before.replace('goal total(revenue) >= 100', 'goal total(revenue) >= 100 by 2026-06-30'));
    });

    it('uses the stated attribution window and the last contact when it is later than the end', async () => {
        const text = CAMPAIGN('    channel sms after 20 days\n    runs 2026-05-01 to 2026-05-10\n    attribution 14 days\n    goal "Spend more": total(revenue) >= 100');
        const document = await parse(text);
        const [diagnostic] = diagnosticsWith(document, 'goal-no-deadline');
        const [action] = await actionsFor(document, diagnostic);
        expect(action.title).toBe("Add deadline 'by 2026-06-04'"); // 2026-05-01 + 20 days + 14 days
        expect(apply(document, action)).toContain('goal "Spend more": total(revenue) >= 100 by 2026-06-04\n');
    });

    it('fixes the goal on the spec file not-smart.mplan, leaving the other goals alone', async () => {
        const document = await parse(NOT_SMART);
        const diagnostics = diagnosticsWith(document, 'goal-no-deadline');
        expect(diagnostics).toHaveLength(1);
        const actions = await actionsFor(document, diagnostics[0]);
        expect(actions.map(a => a.title)).toEqual(["Add deadline 'by 2026-06-30'"]);
        const fixed = apply(document, actions[0]);
        expect(fixed).toContain('    goal lift(spend) >= 10% by 2026-06-30                            // error: no time limit');
        expect(fixed.split('\n').filter(l => l.includes('by 2026-04-01'))).toHaveLength(1);
        const after = await parse(fixed);
        expect(diagnosticsWith(after, 'goal-no-deadline')).toEqual([]);
    });

    it('proposes a date even for a campaign without runs', async () => {
        const document = await parse(CAMPAIGN('    goal total(revenue) >= 100'));
        const [action] = await actionsFor(document, diagnosticsWith(document, 'goal-no-deadline')[0]);
        expect(apply(document, action)).toMatch(/goal total\(revenue\) >= 100 by \d{4}-\d{2}-\d{2}\n/);
    });

    it('works from the code alone, for clients that do not send the diagnostic data back', async () => {
        const document = await parse(CAMPAIGN('    runs 2026-05-01 to 2026-05-31\n    goal total(revenue) >= 100'));
        const [diagnostic] = diagnosticsWith(document, 'goal-no-deadline');
        const [action] = await actionsFor(document, { ...diagnostic, data: undefined });
        expect(action.title).toBe("Add deadline 'by 2026-06-30'");
    });
});

describe('quick fix: unresolved-reference', () => {
    it('changes a misspelt name to the suggestion', async () => {
        const document = await parse(CAMPAIGN('    runs 2026-05-01 to 2026-05-31\n    goal total(revenu) >= 100 by 2026-07-31'));
        const [diagnostic] = diagnosticsWith(document, 'unresolved-reference');
        expect(diagnostic.data).toMatchObject({ refText: 'revenu', suggestion: 'revenue', expectedType: 'Metric' });
        const actions = await actionsFor(document, diagnostic);
        expect(actions.map(a => a.title)).toEqual(["Change to 'revenue'", "Declare metric 'revenu'"]);
        expect(actions[0].isPreferred).toBe(true);
        const fixed = apply(document, actions[0]);
        expect(fixed).toContain('    goal total(revenue) >= 100 by 2026-07-31\n');
        expect(diagnosticsWith(await parse(fixed), 'unresolved-reference')).toEqual([]);
    });

    it('changes a misspelt segment, column or channel', async () => {
        const text = CAMPAIGN('    runs 2026-05-01 to 2026-05-31').replace('channel sms\n', 'channel smss\n').replace('audience everyone', 'audience people.spnd > 10');
        const document = await parse(text);
        const diagnostics = diagnosticsWith(document, 'unresolved-reference');
        expect(diagnostics).toHaveLength(2);
        let fixed = document.textDocument.getText();
        for (const diagnostic of diagnostics.reverse()) {
            const [change, ...others] = await actionsFor(document, diagnostic);
            expect(others, 'no metric to declare for a column or a channel').toEqual([]);
            fixed = fixed.slice(0, document.textDocument.offsetAt(diagnostic.range.start)) + change.edit!.changes![document.textDocument.uri][0].newText + fixed.slice(document.textDocument.offsetAt(diagnostic.range.end));
        }
        expect(fixed).toContain('audience people.spend > 10');
        expect(fixed).toContain('    channel sms\n');
    });

    it('declares a missing metric before the campaign that uses it, above its comment', async () => {
        const document = await parse(CAMPAIGN('    runs 2026-05-01 to 2026-05-31\n    goal total(orders_count) >= 100 by 2026-07-31'));
        const [diagnostic] = diagnosticsWith(document, 'unresolved-reference');
        const actions = await actionsFor(document, diagnostic);
        const declare = actions.find(a => a.title === "Declare metric 'orders_count'")!;
        expect(declare).toBeDefined();
        const fixed = apply(document, declare);
        expect(fixed).toContain('  metric revenue = sum(orders.amount)\n\n  metric orders_count = count(orders)\n\n  // The spring campaign.\n  campaign spring {\n');
        const after = await parse(fixed);
        expect(diagnosticsWith(after, 'unresolved-reference')).toEqual([]);
        expect(after.parseResult.parserErrors).toEqual([]);
    });

    it('declares a metric from a customers column when the plan has no events source, as in not-smart.mplan', async () => {
        const document = await parse(NOT_SMART);
        const [diagnostic] = diagnosticsWith(document, 'unresolved-reference');
        const actions = await actionsFor(document, diagnostic);
        const declare = actions.find(a => a.title === "Declare metric 'unknown_metric'")!;
        const fixed = apply(document, declare);
        expect(fixed).toContain('  metric spend = people.spend\n\n  metric unknown_metric = people.spend\n\n  campaign vague {\n');
    });

    it('offers nothing for other diagnostics', async () => {
        const document = await parse(CAMPAIGN('    runs 2026-05-31 to 2026-05-01\n    goal total(revenue) >= 100 by 2026-07-31'));
        const [diagnostic] = diagnosticsWith(document, 'runs-reversed');
        expect(diagnostic).toBeDefined();
        expect(await actionsFor(document, diagnostic)).toEqual([]);
    });
});
