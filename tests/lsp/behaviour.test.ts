// Audiences chosen by behaviour (issue 10) in the editor, in process: completion around aggregates (`where`, `within`,
// the filtered events' columns, tiers after `NAME.`), hover on aggregates, tiers and `limit`, navigation and rename of
// tiers and of columns named bare in a filter, semantic tokens, folding, the formatter, and the quick fixes for
// `within` in a metric and tiers without `otherwise`. tests/lsp/behaviour-server.test.ts drives the same over stdio.
import type { LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { expectFoldings } from 'langium/test';
import { SemanticTokensDecoder } from 'langium/lsp';
import type { CodeAction, CompletionItem, Diagnostic } from 'vscode-languageserver';
import { Mplan, applyEdits, parse, positionOf, textAt, textDocumentId } from './helpers.js';

const PLAN = `plan "Concerts" {
  objective activation
  customers subscribers from "subscribers.csv" key msisdn {
    age: number
    sms_opt_in: boolean
  }
  events responses from "responses.csv" customer msisdn time responded_at {
    category: text
  }
  events recharges from "recharges.csv" customer msisdn time paid_at {
    amount: number
  }
  rfm usage from recharges {
    monetary amount
  }
  tiers value_tier "Value tiers" {
    gold = usage.r >= 4 and usage.m >= 4
    lost = otherwise
  }
  segment music_fans = count(responses where category = "music" within 365 days) >= 1
  channel sms cost 0.05 per contact
  metric came = any(responses where category = "concert")
  metric spent = sum(recharges.amount)

  campaign concert {
    audience music_fans and not value_tier.lost
    limit 100 by usage.m + count(recharges within 30 days)
    channel sms
    runs 2027-05-01 to 2027-05-10
    control 10% seed "concert"
    goal lift(came) >= 3 pp by 2027-05-31
  }
}
`;

async function completeAt(text: string): Promise<CompletionItem[]> {
    const offset = text.indexOf('|');
    const document = await parse(text.slice(0, offset) + text.slice(offset + 1));
    const list = await Mplan.lsp.CompletionProvider!.getCompletion(document, {
        textDocument: { uri: document.textDocument.uri },
        position: document.textDocument.positionAt(offset)
    });
    return list?.items ?? [];
}

const labels = (items: CompletionItem[]) => items.map(i => i.label).sort();
const names = (items: CompletionItem[]) => items.filter(i => i.kind !== 14 /* keyword */).map(i => i.label).sort();

async function hoverAt(document: LangiumDocument, needle: string, delta: number, nth = 0): Promise<string> {
    const hover = await Mplan.lsp.HoverProvider!.getHoverContent(document, { textDocument: textDocumentId(document), position: positionOf(document, needle, nth, delta) });
    return (hover?.contents as { value?: string } | undefined)?.value ?? '';
}

function errorsAndWarnings(document: LangiumDocument): string[] {
    return (document.diagnostics ?? []).filter(d => (d.severity === 1 || d.severity === 2) && d.code !== 'data-file-missing').map(d => `${d.range.start.line + 1}: [${d.code}] ${d.message}`);
}

describe('the fixture', () => {
    it('validates clean', async () => {
        expect(errorsAndWarnings(await parse(PLAN))).toEqual([]);
    });
});

describe('completion around aggregates and tiers', () => {
    it('proposes the filtered events\' columns after `where`, declared and implied, and no other name', async () => {
        const items = await completeAt(PLAN.replace('where category = "music"', 'where |'));
        expect(names(items)).toEqual(['category', 'msisdn', 'responded_at']);
        expect(items.find(i => i.label === 'responded_at')?.detail).toBe('column: date');
        // Operators and literals that can start a condition, but no aggregate and not `everyone`.
        expect(labels(items)).toEqual(expect.arrayContaining(['not', 'true', 'false']));
        for (const wrong of ['count', 'any', 'everyone', 'subscribers', 'usage', 'music_fans', 'value_tier', 'came']) expect(labels(items), wrong).not.toContain(wrong);
    });

    it('proposes the columns in the middle of a filter, and after the source\'s dot there', async () => {
        expect(names(await completeAt(PLAN.replace('category = "music" within', 'category = "music" and | within')))).toEqual(['category', 'msisdn', 'responded_at']);
        expect(names(await completeAt(PLAN.replace('where category = "music"', 'where responses.|')))).toEqual(['category', 'msisdn', 'responded_at']);
        expect(names(await completeAt(PLAN.replace('any(responses where category = "concert")', 'any(recharges where |)')))).toEqual(['amount', 'msisdn', 'paid_at']);
    });

    it('proposes `where` and `within` after the argument, and no `within` in a metric', async () => {
        expect(labels(await completeAt(PLAN.replace('count(responses where category = "music" within 365 days)', 'count(responses |)')))).toEqual(['where', 'within']);
        expect(labels(await completeAt(PLAN.replace('any(responses where category = "concert")', 'any(responses |)')))).toEqual(['where']);
        expect(labels(await completeAt(PLAN.replace('within 365 days', 'within 365 |')))).toEqual(['day', 'days']);
    });

    it('proposes only events sources as the argument, in a condition as in a metric', async () => {
        expect(names(await completeAt(PLAN.replace('count(responses where', 'count(| where')))).toEqual(['recharges', 'responses']);
    });

    it('proposes aggregates and tiers in an audience, and the tiers after `NAME.`', async () => {
        const audience = labels(await completeAt(PLAN.replace('audience music_fans and not value_tier.lost', 'audience |')));
        expect(audience).toEqual(expect.arrayContaining(['any', 'count', 'sum', 'value_tier', 'music_fans', 'usage', 'subscribers']));
        expect(audience).not.toContain('came');
        const tiers = await completeAt(PLAN.replace('not value_tier.lost', 'not value_tier.|'));
        expect(labels(tiers)).toEqual(['gold', 'lost']);
        expect(tiers.find(i => i.label === 'gold')?.detail).toBe('tier of value_tier: usage.r >= 4 and usage.m >= 4');
    });

    it('proposes `limit` among the campaign statements and `tiers` among the declarations', async () => {
        expect(labels(await completeAt(PLAN.replace('    channel sms\n    runs', '    |\n    channel sms\n    runs')))).toContain('limit');
        expect(labels(await completeAt(PLAN.replace('  channel sms cost', '  |\n  channel sms cost')))).toContain('tiers');
    });
});

describe('hover', () => {
    it('says which events an aggregate counts, from its function, `where` or `within`', async () => {
        const document = await parse(PLAN);
        const segment = await hoverAt(document, 'count(responses where', 1);
        expect(segment).toBe('**aggregate** `count(responses where category = "music" within 365 days)`: number per customer\n\n'
            + 'The number of `responses` events where `category = "music"`, counting responses before the reference date (a campaign\'s start for its audience, the evaluation date in the segment table), the last 365 days of them.');
        expect(await hoverAt(document, 'within 365', 1)).toMatch(/^\*\*aggregate\*\* `count\(responses[\s\S]*only the events of the last N days before the reference date count/);
        expect(await hoverAt(document, 'where category = "music"', 1)).toMatch(/only the events whose own columns meet the condition count/);
        expect(await hoverAt(document, 'any(responses where category = "concert")', 1)).toContain('counting responses in the attribution window.');
        // In a campaign's `limit ... by`, like its audience: the campaign's start.
        expect(await hoverAt(document, 'count(recharges within 30', 1)).toContain('counting recharges in the 30 days before the campaign starts (2027-05-01).');
    });

    it('says "before the campaign starts" for an audience without a window, with or without runs', async () => {
        const document = await parse(PLAN.replace('audience music_fans and not value_tier.lost', 'audience any(responses) and music_fans'));
        expect(await hoverAt(document, 'audience any(', 10)).toContain('1 when the customer has any `responses` event, else 0, counting responses before the campaign starts (2027-05-01).');
        const noRuns = await parse(PLAN.replace('audience music_fans and not value_tier.lost', 'audience any(responses within 1 day)').replace('    runs 2027-05-01 to 2027-05-10\n', ''));
        expect(await hoverAt(noRuns, 'audience any(', 10)).toContain('counting responses on the day before the campaign starts.');
    });

    it('describes tiers, a tier, and the new keywords', async () => {
        const document = await parse(PLAN);
        expect(await hoverAt(document, 'tiers value_tier', 8)).toContain('Value tiers. Each customer is in the first tier whose condition holds: `value_tier.gold`, `value_tier.lost`.');
        expect(await hoverAt(document, 'value_tier.lost', 12)).toContain('A tier of `value_tier`: every customer whom no tier above it takes.');
        expect(await hoverAt(document, 'gold =', 1)).toContain('the customers for whom `usage.r >= 4 and usage.m >= 4` holds');
        expect(await hoverAt(document, 'tiers value_tier', 1)).toMatch(/first tier whose condition holds/);
        expect(await hoverAt(document, 'otherwise', 1)).toMatch(/takes every customer the tiers above it leave/);
        expect(await hoverAt(document, 'limit 100', 1)).toMatch(/caps the audience at the N members with the highest EXPR/);
        expect(await hoverAt(document, 'campaign concert', 10)).toContain('capped at 100 by usage.m + count(recharges within 30 days)');
    });
});

describe('navigation and rename', () => {
    it('finds a tier\'s references and jumps to its declaration', async () => {
        const document = await parse(PLAN);
        const locations = await Mplan.lsp.ReferencesProvider!.findReferences(document, {
            textDocument: textDocumentId(document), position: positionOf(document, 'lost = otherwise', 0, 1), context: { includeDeclaration: true }
        });
        const line = (needle: string) => PLAN.split('\n').findIndex(l => l.includes(needle)) + 1;
        expect(locations.map(l => `${l.range.start.line + 1}:${textAt(document, l.range)}`)).toEqual([`${line('lost = otherwise')}:lost`, `${line('audience music_fans')}:lost`]);
        const [link] = await Mplan.lsp.DefinitionProvider!.getDefinition(document, { textDocument: textDocumentId(document), position: positionOf(document, 'value_tier.lost', 0, 12) }) ?? [];
        expect(link.targetSelectionRange.start.line + 1).toBe(line('lost = otherwise'));
        expect(textAt(document, link.targetSelectionRange)).toBe('lost');
    });

    it('renames a column named bare in a filter, with its declaration', async () => {
        const document = await parse(PLAN);
        const edit = await Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'where category = "music"', 0, 7), newName: 'topic' });
        const after = applyEdits(document, edit!.changes![document.textDocument.uri]);
        expect(after).toContain('    topic: text\n');
        expect(after).toContain('count(responses where topic = "music" within 365 days)');
        expect(after).toContain('any(responses where topic = "concert")');
        expect(errorsAndWarnings(await parse(after))).toEqual([]);
    });

    it('renames a tiers declaration, and refuses `otherwise` as a new name', async () => {
        const document = await parse(PLAN);
        const edit = await Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'value_tier.lost', 0, 3), newName: 'value_band' });
        const after = applyEdits(document, edit!.changes![document.textDocument.uri]);
        expect(after.match(/value_band/g)).toHaveLength(2);
        expect(errorsAndWarnings(await parse(after))).toEqual([]);
        await expect(Promise.resolve().then(() => Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'gold =', 0, 1), newName: 'otherwise' })))
            .rejects.toThrow(/'otherwise' is a keyword/);
    });
});

describe('semantic tokens and folding', () => {
    it('colours tiers as an enum, tiers as its members, and a bare filter column as a column', async () => {
        const document = await parse(PLAN);
        const provider = Mplan.lsp.SemanticTokenProvider!;
        const result = await provider.semanticHighlight(document, { textDocument: textDocumentId(document) });
        const modifiers = Object.entries(provider.tokenModifiers);
        const tokens = SemanticTokensDecoder.decode(result, provider.tokenTypes, document).map(t => {
            const names = modifiers.filter(([, bit]) => (t.tokenModifiers & bit) !== 0).map(([name]) => name);
            return `${t.text}:${t.tokenType}${names.length > 0 ? `[${names.join(',')}]` : ''}`;
        });
        expect(tokens).toEqual(expect.arrayContaining(['value_tier:enum[declaration]', 'gold:enumMember[declaration,readonly]', 'lost:enumMember[declaration,readonly]', 'value_tier:enum', 'lost:enumMember[readonly]']));
        const from = tokens.indexOf('music_fans:variable[declaration]');
        expect(tokens.slice(from, from + 3)).toEqual(['music_fans:variable[declaration]', 'responses:class', 'category:property']);
    });

    it('folds a tiers block', async () => {
        await expectFoldings(Mplan)({ text: ['<|tiers t {', '  a = everyone', '  b = otherwise|>', '}', 'segment s = everyone'].join('\n') });
    });
});

describe('formatting', () => {
    async function format(text: string): Promise<string> {
        const document = await parse(text);
        const edits = await Mplan.lsp.Formatter!.formatDocument(document, { textDocument: textDocumentId(document), options: { tabSize: 2, insertSpaces: true } });
        return applyEdits(document, edits);
    }

    it('lays out tiers one a line, aggregates tight, and a limit as a campaign statement', async () => {
        const messy = 'tiers   t "x"{ a=count( e where c = "m"  within 30 days )>= 1 b =otherwise }\ncampaign c { limit 5   by  r.m+r.f }\n';
        expect(await format(messy)).toBe('tiers t "x" {\n  a = count(e where c = "m" within 30 days) >= 1\n  b = otherwise\n}\ncampaign c {\n  limit 5 by r.m + r.f\n}\n');
        expect(await format('tiers t {  }\n')).toBe('tiers t {}\n');
    });

    it('keeps a definition wrapped after `=` or around `and`/`or`, and joins other breaks', async () => {
        const wrapped = 'segment s =\n  count(e where c = "m") >= 1\n  and x.y\nmetric m =\n  any(e)\n';
        expect(await format(wrapped)).toBe(wrapped);
        expect(await format('segment s =\n\n      a\n or b\nsegment t = x between\n 1 and\n 2\n')).toBe('segment s =\n  a\n  or b\nsegment t = x between 1 and 2\n');
        expect(await format('tiers t {\n  a =\n      x.y\n}\n')).toBe('tiers t {\n  a =\n    x.y\n}\n');
        for (const text of [wrapped, PLAN]) expect(await format(await format(text))).toBe(await format(text));
    });

    it('leaves the fixture as it is', async () => {
        expect(await format(PLAN)).toBe(PLAN);
    });
});

describe('quick fixes', () => {
    async function actionsFor(document: LangiumDocument, diagnostic: Diagnostic): Promise<CodeAction[]> {
        return ((await Mplan.lsp.CodeActionProvider!.getCodeActions(document, { textDocument: textDocumentId(document), range: diagnostic.range, context: { diagnostics: [diagnostic] } })) ?? []) as CodeAction[];
    }
    const only = (document: LangiumDocument, code: string) => {
        const found = (document.diagnostics ?? []).filter(d => d.code === code);
        expect(found).toHaveLength(1);
        return found[0];
    };

    it('window-in-metric: removes `within N days`', async () => {
        const document = await parse(PLAN.replace('any(responses where category = "concert")', 'any(responses where category = "concert" within 14 days)'));
        const [action] = await actionsFor(document, only(document, 'window-in-metric'));
        expect(action.title).toBe("Remove 'within 14 days'");
        expect(applyEdits(document, action.edit!.changes![document.textDocument.uri])).toBe(PLAN);
    });

    it('tiers-no-otherwise: adds `rest = otherwise` as the last tier', async () => {
        const document = await parse(PLAN.replace('    lost = otherwise\n', '    lost = usage.r <= 1\n'));
        const [action] = await actionsFor(document, only(document, 'tiers-no-otherwise'));
        expect(action.title).toBe("Add 'rest = otherwise' as the last tier");
        const after = applyEdits(document, action.edit!.changes![document.textDocument.uri]);
        expect(after).toContain('    lost = usage.r <= 1\n    rest = otherwise\n  }\n');
        expect(errorsAndWarnings(await parse(after))).toEqual([]);
        const oneLine = await parse('tiers rest { rest = everyone }\n');
        const [inline] = await actionsFor(oneLine, only(oneLine, 'tiers-no-otherwise'));
        expect(applyEdits(oneLine, inline.edit!.changes![oneLine.textDocument.uri])).toBe('tiers rest { rest = everyone \n  rest2 = otherwise\n}\n');
    });
});
