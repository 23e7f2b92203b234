// Arms in the editor: `for ARM` completes the enclosing campaign's arms, arm names rename and find their goals, the
// outline lists arms under their campaign, hover describes them, the formatter keeps the normative examples as they
// are, and the quick fixes for shares and for `for` in a campaign without arms.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol } from 'vscode-languageserver';
import { Mplan, applyEdits, parse, positionOf, textDocumentId } from './helpers.js';

const SPEC_NEXT = path.resolve(__dirname, '../../../shared/spec-next');
const ARMS = fs.readFileSync(path.join(SPEC_NEXT, 'arms.mplan'), 'utf8');
const RECORDED_ARMS = fs.readFileSync(path.join(SPEC_NEXT, 'recorded-arms.mplan'), 'utf8');

const PLAN = (campaign: string) => `plan "p" {
  objective growth
  customers people from "people.csv" key id {
    spend: number
  }
  events orders from "orders.csv" customer id time at {
    amount: number
  }
  channel mail cost 0.80 per contact
  channel phone cost 4 per contact
  metric booked = any(orders)
  metric revenue = sum(orders.amount)

  campaign spring {
    audience everyone
    runs 2027-03-01 to 2027-03-31
    control 10% seed "s"
${campaign}
  }

  campaign other {
    audience everyone
    runs 2028-03-01 to 2028-03-31
    control 10% seed "o"
    arm elsewhere {
      channel mail
    }
  }
}
`;

const TWO_ARMS = `    arm mail share 50% {
      channel mail
    }
    arm mail_call share 50% {
      channel mail
      channel phone after 7 days unless booked
    }
    goal lift(booked) for mail_call vs mail >= 100% by 2027-06-30
    goal roi for mail >= 0 by 2027-06-30`;

async function completeAt(text: string): Promise<CompletionItem[]> {
    const offset = text.indexOf('|');
    const document = await parse(text.slice(0, offset) + text.slice(offset + 1));
    const list = await Mplan.lsp.CompletionProvider!.getCompletion(document, {
        textDocument: { uri: document.textDocument.uri },
        position: document.textDocument.positionAt(offset)
    });
    return list?.items ?? [];
}

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

function errorsAndWarnings(document: LangiumDocument): string[] {
    // Data files are not at hand here.
    return (document.diagnostics ?? []).filter(d => (d.severity === 1 || d.severity === 2) && d.code !== 'data-file-missing').map(d => `${d.range.start.line + 1}: [${d.code}] ${d.message}`);
}

describe('arms in the editor', () => {
    it('validates the fixture clean', async () => {
        expect(errorsAndWarnings(await parse(PLAN(TWO_ARMS)))).toEqual([]);
    });

    it('completes the enclosing campaign\'s arms after `for` and after `vs`', async () => {
        const afterFor = await completeAt(PLAN(TWO_ARMS.replace('goal roi for mail >= 0', 'goal roi for | >= 0')));
        const names = afterFor.filter(i => i.kind !== 14 /* keyword */).map(i => i.label).sort();
        expect(names).toEqual(['mail', 'mail_call']);
        const afterVs = await completeAt(PLAN(TWO_ARMS.replace('for mail_call vs mail >=', 'for mail_call vs | >=')));
        expect(afterVs.map(i => i.label)).toContain('mail');
        expect(afterVs.map(i => i.label)).not.toContain('elsewhere');
    });

    it('renames an arm with the goals that name it, and not the channel of the same name', async () => {
        const document = await parse(PLAN(TWO_ARMS));
        const edit = await Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'arm mail ', 0, 4), newName: 'letter' });
        const after = applyEdits(document, edit!.changes![document.textDocument.uri]);
        expect(after).toContain('arm letter share 50%');
        expect(after).toContain('for mail_call vs letter >= 100%');
        expect(after).toContain('goal roi for letter >= 0');
        expect(after).toContain('channel mail cost 0.80 per contact');
        expect(after.match(/^ {6}channel mail$/gm)).toHaveLength(3);
        expect(errorsAndWarnings(await parse(after))).toEqual([]);
    });

    it('finds the references of an arm from a goal', async () => {
        const document = await parse(PLAN(TWO_ARMS));
        const locations = await Mplan.lsp.ReferencesProvider!.findReferences(document, {
            textDocument: textDocumentId(document), position: positionOf(document, 'for mail_call', 0, 5), context: { includeDeclaration: true }
        });
        expect(locations.map(l => l.range.start.line + 1).sort((a, b) => a - b)).toEqual([21, 25]);
    });

    it('lists arms and goals under their campaign in the outline', async () => {
        const document = await parse(PLAN(TWO_ARMS));
        const symbols = await Mplan.lsp.DocumentSymbolProvider!.getSymbols(document, { textDocument: textDocumentId(document) }) as DocumentSymbol[];
        const spring = symbols[0].children!.find(s => s.name === 'spring')!;
        expect(spring.children!.map(c => c.name)).toEqual(['mail', 'mail_call', 'lift(booked) for mail_call vs mail >= 100%', 'roi for mail >= 0']);
        expect(spring.children![1].detail).toMatch(/50% of the treatment group; channels mail, phone after 7 days unless booked/);
    });

    it('describes an arm on hover, and the new keywords', async () => {
        const document = await parse(PLAN(TWO_ARMS));
        const hover = async (needle: string, delta: number) => (await Mplan.lsp.HoverProvider!.getHoverContent(document, { textDocument: textDocumentId(document), position: positionOf(document, needle, 0, delta) }))?.contents as { value: string } | undefined;
        expect((await hover('for mail_call', 5))?.value).toMatch(/\*\*arm\*\* `mail_call`[\s\S]*An arm of campaign `spring`: 50% of the treatment group/);
        expect((await hover('unless booked', 1))?.value).toMatch(/skip this contact/);
        expect((await hover('arm mail ', 1))?.value).toMatch(/one variant of the campaign/);
    });

    it('formats the normative examples as they are', async () => {
        for (const text of [ARMS, RECORDED_ARMS]) {
            const document = await parse(text);
            const edits = await Mplan.lsp.Formatter!.formatDocument(document, { textDocument: textDocumentId(document), options: { tabSize: 2, insertSpaces: true } });
            expect(applyEdits(document, edits)).toBe(text);
        }
    });
});

describe('quick fixes for arms', () => {
    it('arm-share-sum: sets the last share to the remainder', async () => {
        const document = await parse(PLAN(TWO_ARMS.replace('arm mail_call share 50%', 'arm mail_call share 40%')));
        const [diagnostic] = diagnosticsWith(document, 'arm-share-sum');
        const [action] = await actionsFor(document, diagnostic);
        expect(action.title).toBe("Set the share of arm 'mail_call' to 50%");
        const after = applyEdits(document, action.edit!.changes![document.textDocument.uri]);
        expect(after).toBe(PLAN(TWO_ARMS));
    });

    it('goal-for-without-arms: removes `for ...`', async () => {
        const text = PLAN('    channel mail\n    goal lift(booked) for mail vs phone >= 2 pp by 2027-06-30\n    goal roi for mail >= 0 by 2027-06-30');
        const document = await parse(text);
        const diagnostics = diagnosticsWith(document, 'goal-for-without-arms');
        expect(diagnostics).toHaveLength(2);
        expect(diagnosticsWith(document, 'unresolved-reference')).toEqual([]);
        let after = text;
        for (const diagnostic of diagnostics) {
            const [action] = await actionsFor(document, diagnostic);
            after = after.replace(document.textDocument.getText({ start: { line: diagnostic.range.start.line, character: 0 }, end: { line: diagnostic.range.start.line + 1, character: 0 } }),
                applyEdits(document, action.edit!.changes![document.textDocument.uri]).split('\n')[diagnostic.range.start.line] + '\n');
        }
        expect(after).toContain('    goal lift(booked) >= 2 pp by 2027-06-30\n');
        expect(after).toContain('    goal roi >= 0 by 2027-06-30\n');
        expect(errorsAndWarnings(await parse(after))).toEqual([]);
    });
});
