// Customer value and attitude (issue 11) in the editor, in process: completion of the models' settings, of CLV scores
// and attitude columns after `NAME.`, of the columns each setting takes, of the units and models, of channels and
// attitudes in `best of`; hover on scores (as of when, from which data), models and keywords; navigation, rename,
// outline, semantic tokens, folding and the formatter. tests/lsp/value-server.test.ts drives the normative example over
// stdio.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { expectFoldings } from 'langium/test';
import { SemanticTokensDecoder } from 'langium/lsp';
import type { CompletionItem, DocumentSymbol } from 'vscode-languageserver';
import { CompletionItemKind } from 'vscode-languageserver';
import { Mplan, applyEdits, parse, positionOf, textAt, textDocumentId } from './helpers.js';

const PLAN = `plan "Value" {
  objective retention
  margin 40%
  customers buyers from "customers.csv" key customer_id {
    age: number
  }
  events purchases from "purchases.csv" customer customer_id time date {
    amount: number
    sku: text
  }
  events contacts from "contacts.csv" customer customer_id time sent_at {
    channel: text
    offer: text
    responded: boolean
    cost: number
  }
  clv worth from purchases {
    monetary amount
    calibration 2025-01-01 to 2025-09-30
    horizon 26 weeks
  }
  clv counts from purchases {
    model paretonbd
    period day
    calibration 2025-01-01 to 2025-09-30
    horizon 3 months
  }
  attitude prefs from contacts {
    response responded
    by channel, offer
    prior 10 contacts
  }
  segment fading = worth.alive < 30% and worth.clv >= 50
  segment texters = prefs.channel("sms") >= 60
  channel email cost 0.02 per contact
  channel sms cost 0.05 per contact
  metric bought = any(purchases)

  campaign save {
    audience fading and prefs.offer("20% off") > 40
    channel best of [email, sms] by prefs.channel
    runs 2025-10-01 to 2025-10-31
    control 20% seed "save"
    uplift by worth.clv
    goal lift(bought) >= 5 pp by 2025-12-31
  }
}
`;

const SPEC = ['../../../shared/spec/value.mplan', '../../../shared/spec-next/value.mplan'].map(p => path.resolve(__dirname, p)).find(p => fs.existsSync(p))!;

async function completeAt(text: string): Promise<CompletionItem[]> {
    const offset = text.indexOf('|');
    const document = await parse(text.slice(0, offset) + text.slice(offset + 1));
    const list = await Mplan.lsp.CompletionProvider!.getCompletion(document, {
        textDocument: { uri: document.textDocument.uri },
        position: document.textDocument.positionAt(offset)
    });
    return list?.items ?? [];
}

/** The fixture with `|` at the place of `needle` (replaced by `replacement`, which holds the `|`). */
const at = (needle: string, replacement: string) => {
    if (!PLAN.includes(needle)) throw new Error(`'${needle}' not in the fixture`);
    return PLAN.replace(needle, replacement);
};
const labels = (items: CompletionItem[]) => items.map(i => i.label).sort();
const names = (items: CompletionItem[]) => items.filter(i => i.kind !== CompletionItemKind.Keyword).map(i => i.label).sort();
const keywords = (items: CompletionItem[]) => items.filter(i => i.kind === CompletionItemKind.Keyword).map(i => i.label).sort();

async function hoverAt(document: LangiumDocument, needle: string, delta: number, nth = 0): Promise<string> {
    const hover = await Mplan.lsp.HoverProvider!.getHoverContent(document, { textDocument: textDocumentId(document), position: positionOf(document, needle, nth, delta) });
    return (hover?.contents as { value?: string } | undefined)?.value ?? '';
}

function errorsAndWarnings(document: LangiumDocument): string[] {
    return (document.diagnostics ?? []).filter(d => (d.severity === 1 || d.severity === 2) && d.code !== 'data-file-missing').map(d => `${d.range.start.line + 1}: [${d.code}] ${d.message}`);
}

const lineOf = (needle: string) => PLAN.split('\n').findIndex(l => l.includes(needle)) + 1;

describe('the fixture', () => {
    it('validates clean', async () => {
        expect(errorsAndWarnings(await parse(PLAN))).toEqual([]);
    });
});

describe('completion', () => {
    it('proposes the four CLV scores after a model with monetary, two without, each with what it is', async () => {
        const items = await completeAt(at('worth.alive < 30%', 'worth.| < 30%'));
        expect(labels(items)).toEqual(['alive', 'clv', 'purchases', 'spend']);
        expect(items.find(i => i.label === 'alive')).toMatchObject({ kind: CompletionItemKind.Property, detail: 'CLV score: P(alive), a probability from 0 to 1' });
        expect(items.find(i => i.label === 'clv')?.detail).toBe('CLV score: discounted expected margin of the horizon');
        expect(JSON.stringify(items.find(i => i.label === 'alive')?.documentation)).toContain('P(alive) at the end of calibration, 2025-09-30');
        expect(labels(await completeAt(at('worth.alive < 30%', 'counts.| < 30%')))).toEqual(['alive', 'purchases']);
    });

    it('proposes an attitude\'s by columns after its name, not its other columns', async () => {
        const items = await completeAt(at('prefs.channel("sms")', 'prefs.|'));
        expect(labels(items)).toEqual(['channel', 'offer']);
        expect(items.find(i => i.label === 'channel')).toMatchObject({ kind: CompletionItemKind.Property, detail: 'attitude score: 0 to 100 per value of contacts.channel' });
        expect(labels(await completeAt(at('by prefs.channel', 'by prefs.|')))).toEqual(['channel', 'offer']);
    });

    it('proposes the columns of the right type after monetary, response and by', async () => {
        expect(names(await completeAt(at('monetary amount', 'monetary |')))).toEqual(['amount']);
        expect(names(await completeAt(at('response responded', 'response |')))).toEqual(['responded']);
        // Text columns, the implied customer column too.
        expect(names(await completeAt(at('by channel, offer', 'by |')))).toEqual(['channel', 'customer_id', 'offer']);
        expect(names(await completeAt(at('by channel, offer', 'by channel, |')))).toEqual(['channel', 'customer_id', 'offer']);
    });

    it('proposes the models, and the units that fit period and horizon', async () => {
        expect(labels(await completeAt(at('model paretonbd', 'model |')))).toEqual(['bgnbd', 'paretonbd']);
        expect(labels(await completeAt(at('period day', 'period |')))).toEqual(['day', 'month', 'week']);
        expect(labels(await completeAt(at('horizon 26 weeks', 'horizon 26 |')))).toEqual(['days', 'months', 'weeks']);
    });

    it('proposes the settings inside each block, and the declarations and statements', async () => {
        expect(keywords(await completeAt(at('    horizon 3 months\n', '    horizon 3 months\n    |\n')))).toEqual(['calibration', 'discount', 'horizon', 'margin', 'model', 'monetary', 'period']);
        expect(keywords(await completeAt(at('    prior 10 contacts\n', '    prior 10 contacts\n    |\n')))).toEqual(['by', 'half', 'prior', 'response']);
        expect(labels(await completeAt(at('  channel email cost', '  |\n  channel email cost')))).toEqual(expect.arrayContaining(['clv', 'attitude']));
        expect(labels(await completeAt(at('    runs 2025-10-01', '    |\n    runs 2025-10-01')))).toEqual(expect.arrayContaining(['uplift', 'channel']));
        expect(labels(await completeAt(at('    prior 10 contacts', '    half |\n    prior 10 contacts')))).toEqual(['life']);
    });

    it('proposes channels in best of, and only attitudes after its by', async () => {
        expect(labels(await completeAt(at('[email, sms]', '[|]')))).toEqual(['email', 'sms']);
        expect(labels(await completeAt(at('[email, sms]', '[email, |]')))).toEqual(['email', 'sms']);
        expect(labels(await completeAt(at('by prefs.channel', 'by |')))).toEqual(['prefs']);
        expect(labels(await completeAt(at('channel best of', 'channel best |')))).toEqual(['of']);
        expect(labels(await completeAt(at('channel best of', 'channel |')))).toEqual(['best', 'email', 'sms']);
        // After the attitude column: the step's own clauses and the next statements, no operator.
        const after = labels(await completeAt(at('by prefs.channel', 'by prefs.channel |')));
        expect(after).toEqual(expect.arrayContaining(['after', 'unless', 'runs']));
        for (const wrong of ['and', 'or', 'in', 'not']) expect(after).not.toContain(wrong);
    });

    it('proposes the models in conditions and in uplift by, and no metric there', async () => {
        const condition = labels(await completeAt(at('segment texters = prefs', 'segment texters = |prefs')));
        expect(condition).toEqual(expect.arrayContaining(['worth', 'counts', 'prefs', 'buyers', 'fading']));
        expect(condition).not.toContain('bought');
        const uplift = labels(await completeAt(at('uplift by worth.clv', 'uplift by |')));
        expect(uplift).toEqual(expect.arrayContaining(['worth', 'prefs', 'count']));
        expect(uplift).not.toContain('bought');
        const items = await completeAt(at('segment texters = prefs', 'segment texters = |prefs'));
        expect(items.find(i => i.label === 'worth')).toMatchObject({ kind: CompletionItemKind.Struct, detail: 'CLV model (BG/NBD) from purchases' });
        expect(items.find(i => i.label === 'prefs')?.detail).toBe('attitude from contacts by channel, offer');
    });
});

describe('hover', () => {
    it('says what each CLV score is, as of the end of calibration, from which purchases, by which model', async () => {
        const document = await parse(PLAN);
        expect(await hoverAt(document, 'worth.alive', 7)).toBe('**CLV score** `worth.alive`: number, a probability from 0 to 1\n\n'
            + 'P(alive) at the end of calibration, 2025-09-30, from purchases 2025-01-01 to 2025-09-30 (BG/NBD): the probability that the customer still buys. Compare it with a percentage (`worth.alive < 30%`).');
        expect(await hoverAt(document, 'worth.clv >=', 7)).toBe('**CLV score** `worth.clv`: number\n\n'
            + 'The expected margin (40%, the plan\'s) of the purchases in the 26 weeks after the end of calibration, 2025-09-30, from purchases 2025-01-01 to 2025-09-30 (BG/NBD and Gamma-Gamma), undiscounted.');
        const withoutMonetary = await parse(PLAN.replace('segment texters', 'segment many = counts.purchases > 2 and counts.spend > 1\n  segment texters'));
        expect(await hoverAt(withoutMonetary, 'counts.purchases', 8)).toContain('The expected number of purchases in the 3 months after the end of calibration, 2025-09-30, from purchases 2025-01-01 to 2025-09-30 (Pareto/NBD).');
        expect(await hoverAt(withoutMonetary, 'counts.spend', 8)).toContain('Needs `monetary COLUMN` in CLV model `counts`');
    });

    it('says what an attitude score is, and from which contacts: before the reference date in a segment, before the start in an audience', async () => {
        const document = await parse(PLAN);
        const segment = await hoverAt(document, 'prefs.channel("sms")', 8);
        expect(segment).toBe('**attitude score** `prefs.channel("sms")`: number, 0 to 100\n\n'
            + 'The smoothed response rate to channel "sms" from contacts before the reference date (a campaign\'s start for its audience, the evaluation date in the segment table): '
            + 'responded per contact, every contact weighing the same, pulled toward the population\'s rate by 10 contacts\' worth.');
        // On the value, too.
        expect(await hoverAt(document, 'prefs.channel("sms")', 16)).toBe(segment);
        expect(await hoverAt(document, 'prefs.offer("20% off")', 8)).toContain('The smoothed response rate to offer "20% off" from contacts before the campaign starts (2025-10-01): ');
        const best = await hoverAt(document, 'by prefs.channel', 11);
        expect(best).toContain('**attitude column** `prefs.channel`: a score from 0 to 100 for each value of `channel`');
        expect(best).toContain('Each treatment customer is contacted through whichever of email, sms scores highest, ties going to the first listed. A score is the smoothed response rate to that channel from contacts before the campaign starts (2025-10-01)');
        // The receiver is the attitude itself.
        expect(await hoverAt(document, 'prefs.channel("sms")', 1)).toContain('**attitude** `prefs`');
    });

    it('describes the models, the campaign, and the new keywords', async () => {
        const document = await parse(PLAN.replace('    prior 10 contacts', '    half life 90 days\n    prior 10 contacts'));
        expect(await hoverAt(document, 'clv worth', 6)).toContain('Scores `worth.alive`, `worth.purchases`, `worth.spend`, `worth.clv` as of the end of calibration, 2025-09-30, from purchases 2025-01-01 to 2025-09-30 (BG/NBD and Gamma-Gamma); period week; horizon 26 weeks; spend per purchase `amount`; no discount; margin 40% (the plan\'s).');
        expect(await hoverAt(document, 'clv counts', 6)).toContain('Scores `counts.alive`, `counts.purchases` as of');
        expect(await hoverAt(document, 'attitude prefs', 10)).toContain('Each customer\'s smoothed response rate (responded), 0 to 100, per value of each `by` column, from the contacts before the reference date: `prefs.channel("...")`, `prefs.offer("...")`; half life 90 days; prior 10 contacts.');
        expect(await hoverAt(document, 'campaign save', 10)).toContain('channels best of email, sms by prefs.channel; drawn control 20%; attribution 30 days; uplift by worth.clv');
        expect(await hoverAt(document, 'clv worth', 1)).toMatch(/^`clv NAME from EVENTS/);
        expect(await hoverAt(document, 'attitude prefs', 1)).toMatch(/smoothed response rate, 0 to 100/);
        expect(await hoverAt(document, 'channel best of', 9)).toMatch(/listed channel whose name scores highest/);
        expect(await hoverAt(document, 'uplift by', 1)).toMatch(/ranks the customers who respond because of the campaign\. Needs a control group/);
        expect(await hoverAt(document, 'model paretonbd', 7)).toMatch(/Pareto\/NBD model/);
        expect(await hoverAt(document, 'half life', 1)).toMatch(/weighs half as much/);
        expect(await hoverAt(document, 'monetary amount', 1)).toMatch(/Gamma-Gamma/);
    });
});

describe('navigation and rename', () => {
    it('jumps from a CLV score to its model, and finds an attitude column\'s uses', async () => {
        const document = await parse(PLAN);
        const [link] = await Mplan.lsp.DefinitionProvider!.getDefinition(document, { textDocument: textDocumentId(document), position: positionOf(document, 'worth.alive', 0, 7) }) ?? [];
        expect([link.targetSelectionRange.start.line + 1, textAt(document, link.targetSelectionRange)]).toEqual([lineOf('clv worth'), 'worth']);
        const locations = await Mplan.lsp.ReferencesProvider!.findReferences(document, {
            textDocument: textDocumentId(document), position: positionOf(document, 'channel: text', 0, 1), context: { includeDeclaration: true }
        });
        expect(locations.map(l => `${l.range.start.line + 1}:${textAt(document, l.range)}`)).toEqual([
            `${lineOf('channel: text')}:channel`, `${lineOf('by channel, offer')}:channel`, `${lineOf('prefs.channel("sms")')}:channel`, `${lineOf('by prefs.channel')}:channel`
        ]);
    });

    it('renames a CLV model and an attitude where they are declared and used, never a score', async () => {
        const document = await parse(PLAN);
        const edit = await Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'worth.alive', 0, 2), newName: 'value' });
        const after = applyEdits(document, edit!.changes![document.textDocument.uri]);
        expect(after).toContain('  clv value from purchases {\n');
        expect(after).toContain('segment fading = value.alive < 30% and value.clv >= 50');
        expect(after).toContain('uplift by value.clv');
        expect(after).not.toMatch(/\bworth\b/);
        expect(errorsAndWarnings(await parse(after))).toEqual([]);
        const attitude = await Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'attitude prefs', 0, 10), newName: 'taste' });
        const renamed = applyEdits(document, attitude!.changes![document.textDocument.uri]);
        expect(renamed.match(/\btaste\b/g)).toHaveLength(4);
        expect(renamed).toContain('channel best of [email, sms] by taste.channel');
        expect(errorsAndWarnings(await parse(renamed))).toEqual([]);
        expect(await Mplan.lsp.RenameProvider!.prepareRename!(document, { textDocument: textDocumentId(document), position: positionOf(document, 'worth.alive', 0, 8) })).toBeUndefined();
        await expect(Promise.resolve().then(() => Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'worth.alive', 0, 8), newName: 'x' })))
            .rejects.toThrow(/CLV scores alive, purchases, spend and clv are built in/);
    });

    it('takes the new keywords as new names, `best` too, but not a keyword that is no name', async () => {
        const document = await parse(PLAN);
        for (const newName of ['best', 'uplift', 'horizon']) {
            const edit = await Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'segment fading', 0, 9), newName });
            const after = applyEdits(document, edit!.changes![document.textDocument.uri]);
            expect(after).toContain(`audience ${newName} and prefs`);
            expect(errorsAndWarnings(await parse(after))).toEqual([]);
        }
        await expect(Promise.resolve().then(() => Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'segment fading', 0, 9), newName: 'otherwise' })))
            .rejects.toThrow(/'otherwise' is a keyword/);
    });

    it('renames a column an attitude scores, in its by, its scores and best of', async () => {
        const document = await parse(PLAN);
        const edit = await Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'prefs.channel("sms")', 0, 8), newName: 'medium' });
        const after = applyEdits(document, edit!.changes![document.textDocument.uri]);
        expect(after).toContain('    medium: text\n');
        expect(after).toContain('    by medium, offer\n');
        expect(after).toContain('prefs.medium("sms") >= 60');
        expect(after).toContain('by prefs.medium\n');
        expect(errorsAndWarnings(await parse(after))).toEqual([]);
    });
});

describe('outline, semantic tokens, folding', () => {
    it('lists the CLV models and the attitude with what they are', async () => {
        const document = await parse(PLAN);
        const symbols = await Mplan.lsp.DocumentSymbolProvider!.getSymbols(document, { textDocument: textDocumentId(document) }) as DocumentSymbol[];
        const children = symbols[0].children!;
        expect(children.filter(s => ['worth', 'counts', 'prefs'].includes(s.name)).map(s => `${s.name} ${s.kind} ${s.detail}`)).toEqual([
            'worth 23 CLV model (BG/NBD) from purchases', 'counts 23 CLV model (Pareto/NBD) from purchases', 'prefs 23 attitude from contacts by channel, offer'
        ]);
        expect(children.find(s => s.name === 'worth')!.selectionRange.start.line + 1).toBe(lineOf('clv worth'));
    });

    it('colours the models as namespaces, CLV scores as built-in properties, attitude columns as columns, best-of channels as channels', async () => {
        const document = await parse(PLAN);
        const provider = Mplan.lsp.SemanticTokenProvider!;
        const result = await provider.semanticHighlight(document, { textDocument: textDocumentId(document) });
        const modifiers = Object.entries(provider.tokenModifiers);
        const tokens = SemanticTokensDecoder.decode(result, provider.tokenTypes, document).map(t => {
            const found = modifiers.filter(([, bit]) => (t.tokenModifiers & bit) !== 0).map(([name]) => name);
            return `${t.text}:${t.tokenType}${found.length > 0 ? `[${found.join(',')}]` : ''}`;
        });
        expect(tokens).toEqual(expect.arrayContaining(['worth:namespace[declaration]', 'prefs:namespace[declaration]', 'alive:property[defaultLibrary,readonly]', 'clv:property[defaultLibrary,readonly]']));
        const from = tokens.indexOf('prefs:namespace[declaration]');
        expect(tokens.slice(from, from + 5)).toEqual(['prefs:namespace[declaration]', 'contacts:class', 'responded:property', 'channel:property', 'offer:property']);
        const texters = tokens.indexOf('texters:variable[declaration]');
        expect(tokens.slice(texters, texters + 3)).toEqual(['texters:variable[declaration]', 'prefs:namespace', 'channel:property']);
        const best = tokens.lastIndexOf('email:enumMember');
        expect(tokens.slice(best, best + 4)).toEqual(['email:enumMember', 'sms:enumMember', 'prefs:namespace', 'channel:property']);
    });

    it('folds clv and attitude blocks', async () => {
        await expectFoldings(Mplan)({ text: ['<|clv v from e {', '  calibration 2025-01-01 to 2025-02-01', '  horizon 4 weeks|>', '}', '<|attitude a from e {', '  response r', '  by c|>', '}'].join('\n') });
    });
});

describe('formatting', () => {
    async function format(text: string): Promise<string> {
        const document = await parse(text);
        const edits = await Mplan.lsp.Formatter!.formatDocument(document, { textDocument: textDocumentId(document), options: { tabSize: 2, insertSpaces: true } });
        return applyEdits(document, edits);
    }

    it('lays out the models one setting a line, a score\'s value tight, best of and uplift as statements', async () => {
        const messy = 'clv v from e { model  bgnbd monetary a period week calibration 2025-01-01 to 2025-02-01 horizon 4  weeks discount 10 % per year margin 30 % }\n'
            + 'attitude p from e { response r by c ,o half life 180 days prior 5 contacts }\n'
            + 'segment s = p.c ( "sms" ) >= 60 and v.alive<30%\n'
            + 'campaign c { channel best of [ a , b ] by p.c after 3 days uplift  by v.clv }\n';
        expect(await format(messy)).toBe('clv v from e {\n  model bgnbd\n  monetary a\n  period week\n  calibration 2025-01-01 to 2025-02-01\n  horizon 4 weeks\n  discount 10% per year\n  margin 30%\n}\n'
            + 'attitude p from e {\n  response r\n  by c, o\n  half life 180 days\n  prior 5 contacts\n}\n'
            + 'segment s = p.c("sms") >= 60 and v.alive < 30%\n'
            + 'campaign c {\n  channel best of [a, b] by p.c after 3 days\n  uplift by v.clv\n}\n');
        expect(await format('clv v from e {  }\nattitude a from e {\n}\n')).toBe('clv v from e {}\nattitude a from e {}\n');
        expect(await format('clv v from e {\n  horizon -4 weeks\n  discount - 1% per year\n}\n')).toBe('clv v from e {\n  horizon -4 weeks\n  discount -1% per year\n}\n');
    });

    it('leaves the fixture and the normative example as they are', async () => {
        expect(await format(PLAN)).toBe(PLAN);
        const spec = fs.readFileSync(SPEC, 'utf8');
        expect(await format(spec)).toBe(spec);
        for (const text of [PLAN, spec]) expect(await format(await format(text))).toBe(await format(text));
    });
});
