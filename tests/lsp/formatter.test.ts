// The canonical layout: messy input becomes canonical, canonical input is left alone, formatting is idempotent,
// never changes the parse, keeps comments, and refuses to touch a file that does not parse.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AstNode, LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { expectFormatting } from 'langium/test';
import { Mplan, PLAN, applyEdits, parse } from './helpers.js';

const SPEC_DIR = path.resolve(__dirname, '../../../shared/spec');

/** What `mplan fmt` does: format with the CLI's options and apply the edits. */
async function format(text: string): Promise<string> {
    const document = await parse(text);
    const edits = await Mplan.lsp.Formatter!.formatDocument(document, { textDocument: { uri: document.textDocument.uri }, options: { tabSize: 2, insertSpaces: true } });
    return applyEdits(document, edits);
}

/** The AST without positions, CST links or references' resolution state: what the parser made of the text. */
function shape(document: LangiumDocument): unknown {
    const strip = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(strip);
        if (value && typeof value === 'object') {
            const node = value as Record<string, unknown>;
            if ('$refText' in node) return { ref: node.$refText };
            return Object.fromEntries(Object.entries(node).filter(([k]) => !k.startsWith('$') || k === '$type').map(([k, v]) => [k, strip(v)]));
        }
        return value;
    };
    return strip(document.parseResult.value as AstNode);
}

const MESSY = `

// header comment
plan "Messy"{
objective   retention   // why
      customers shoppers from "c.csv" key customer_id { region :text
  age : number }



  events orders from "o.csv" customer customer_id time ordered_at {amount:number}
  rfm value from orders { monetary amount as of 2026-10-01 bins 5 }
  segment s1 "desc"= value.r<=2 and( value . f >= 4 or not shoppers.region in [ "a" , "b" ] )
  segment s2 = - shoppers.age > -5 and shoppers.age between 1 and 10
\tchannel mail cost 0.80 per contact channel phone cost 3.5 per contact
  metric revenue = sum ( orders.amount ) / count( orders )
  /* block
     comment */
  campaign c {

    audience s1 and not s2
    channel mail
    channel phone after 7 days
    runs 2026-11-01 to 2026-11-30
    control 10 % seed "x"
    goal "label" : lift ( revenue ) >= 15 % by 2026-12-31
    goal roi >= - 1.5 // trailing
    // own line comment


  }
  campaign empty {   }
}`;

const CANONICAL = `// header comment
plan "Messy" {
  objective retention   // why
  customers shoppers from "c.csv" key customer_id {
    region: text
    age: number
  }

  events orders from "o.csv" customer customer_id time ordered_at {
    amount: number
  }
  rfm value from orders {
    monetary amount
    as of 2026-10-01
    bins 5
  }
  segment s1 "desc" = value.r <= 2 and (value.f >= 4 or not shoppers.region in ["a", "b"])
  segment s2 = -shoppers.age > -5 and shoppers.age between 1 and 10
  channel mail cost 0.80 per contact
  channel phone cost 3.5 per contact
  metric revenue = sum(orders.amount) / count(orders)
  /* block
     comment */
  campaign c {
    audience s1 and not s2
    channel mail
    channel phone after 7 days
    runs 2026-11-01 to 2026-11-30
    control 10% seed "x"
    goal "label": lift(revenue) >= 15% by 2026-12-31
    goal roi >= -1.5 // trailing
    // own line comment
  }
  campaign empty {}
}
`;

describe('formatter', () => {
    it('turns a messy plan into the canonical layout', async () => {
        expect(await format(MESSY)).toBe(CANONICAL);
    });

    it('is idempotent', async () => {
        expect(await format(CANONICAL)).toBe(CANONICAL);
        for (const text of [MESSY, PLAN, 'segment s = // why\n   everyone and\n // inner\n everyone\n']) {
            const once = await format(text);
            expect(await format(once)).toBe(once);
        }
    });

    it('does not change what the text parses to', async () => {
        for (const text of [MESSY, PLAN]) {
            const before = await parse(text);
            const after = await parse(await format(text));
            expect(after.parseResult.parserErrors).toEqual([]);
            expect(shape(after)).toEqual(shape(before));
        }
    });

    it('leaves the normative spec files as they are', async () => {
        const files = fs.readdirSync(SPEC_DIR).filter(f => f.endsWith('.mplan'));
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) {
            const text = fs.readFileSync(path.join(SPEC_DIR, file), 'utf8');
            expect(await format(text), file).toBe(text);
        }
    });

    it('applies each spacing rule', async () => {
        await expectFormatting(Mplan)({ before: 'customers c from "c.csv" {a : number}', after: 'customers c from "c.csv" {\n  a: number\n}\n' });
        await expectFormatting(Mplan)({ before: 'metric m = max( e . t )', after: 'metric m = max(e.t)\n' });
        await expectFormatting(Mplan)({ before: 'segment s = x not in[1,2 ,3]', after: 'segment s = x not in [1, 2, 3]\n' });
        await expectFormatting(Mplan)({ before: 'segment s = - ( a + b ) * 2 >= 10 %', after: 'segment s = -(a + b) * 2 >= 10%\n' });
        await expectFormatting(Mplan)({
            before: 'campaign c { groups from v . g treatment "a" control "b" split 2 : 1 goal mean ( m ) <= 3 pp }',
            after: 'campaign c {\n  groups from v.g treatment "a" control "b" split 2:1\n  goal mean(m) <= 3 pp\n}\n'
        });
    });

    it('keeps one blank line between statements, none inside the braces, and always indents by two spaces', async () => {
        await expectFormatting(Mplan)({
            before: 'plan "p" {\n\n\n    objective growth\n\n\n\n    owner "o"\n\n}\n\n\n\nchannel sms',
            after: 'plan "p" {\n  objective growth\n\n  owner "o"\n}\n\nchannel sms\n',
            // The editor's tab size does not change the canonical layout.
            options: { tabSize: 4, insertSpaces: true }
        });
    });

    it('keeps comments: trailing ones in place, own-line ones indented, and continues a statement after a line comment', async () => {
        await expectFormatting(Mplan)({
            before: 'plan "p" {   // the plan\n// first\n  objective growth      // aligned\n      /* block */\n}\n// end',
            after: 'plan "p" {   // the plan\n  // first\n  objective growth      // aligned\n  /* block */\n}\n// end\n'
        });
        await expectFormatting(Mplan)({
            before: 'segment s = // why\n   a and\n // inner\n b',
            after: 'segment s = // why\n  a and\n  // inner\n  b\n'
        });
    });

    it('keeps CRLF line endings', async () => {
        const formatted = await format('plan "p" {\r\n    objective growth\r\n}\r\n');
        expect(formatted).toBe('plan "p" {\r\n  objective growth\r\n}\r\n');
    });

    it('formats only the requested range', async () => {
        await expectFormatting(Mplan)({
            before: 'channel  a\nchannel  b\nchannel  c\n',
            after: 'channel  a\nchannel b\nchannel  c\n',
            range: { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } }
        });
    });

    it('leaves a file with syntax errors untouched', async () => {
        const broken = 'plan "p" {\n    objective growth\n  segment s = (a and\n}\n';
        expect(await format(broken)).toBe(broken);
    });

    it('handles empty and comment-only files', async () => {
        expect(await format('')).toBe('');
        expect(await format('\n\n  \n')).toBe('');
        expect(await format('  // only a comment  ')).toBe('// only a comment\n');
    });
});
