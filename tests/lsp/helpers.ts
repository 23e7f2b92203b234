// Shared fixtures for the editor-feature tests: one service instance, a parse helper, and a plan that uses every
// kind of name (sources, implied and declared columns, an RFM model named with a keyword, segments, channels,
// metrics, campaigns with goals).
import { EmptyFileSystem, type LangiumDocument } from 'langium';
import { parseHelper } from 'langium/test';
import type { Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver';
import type { Model } from '../../src/language/generated/ast.js';
import { createMplanServices } from '../../src/language/mplan-module.js';

export const services = createMplanServices(EmptyFileSystem);
export const Mplan = services.Mplan;

let counter = 0;
/** Parses, links and validates `text` as a fresh document. */
export async function parse(text: string, name?: string): Promise<LangiumDocument<Model>> {
    return parseHelper<Model>(Mplan)(text, { documentUri: `file:///test/${name ?? `doc${++counter}`}.mplan`, validation: true });
}

/** The offset of the `nth` occurrence (0-based) of `needle` in `text`, plus `delta`. */
export function offsetOf(text: string, needle: string, nth = 0, delta = 0): number {
    let index = -1;
    for (let i = 0; i <= nth; i++) {
        index = text.indexOf(needle, index + 1);
        if (index < 0) throw new Error(`'${needle}' (#${nth}) not found`);
    }
    return index + delta;
}

export function positionOf(document: LangiumDocument, needle: string, nth = 0, delta = 0): Position {
    return document.textDocument.positionAt(offsetOf(document.textDocument.getText(), needle, nth, delta));
}

export function textDocumentId(document: LangiumDocument) {
    return { uri: document.textDocument.uri };
}

/** Applies edits to the text of a document. */
export function applyEdits(document: LangiumDocument, edits: TextEdit[]): string {
    return TextDocument.applyEdits(document.textDocument, edits);
}

/** The text a range covers. */
export function textAt(document: LangiumDocument, range: { start: Position; end: Position }): string {
    return document.textDocument.getText(range);
}

export const PLAN = `// A plan that uses every kind of name.
plan "Q4 win-back" {
  objective retention
  currency USD

  customers shoppers from "data/customers.csv" key customer_id {
    region: text
    age: number
    segment: text
  }

  events orders from "data/orders.csv" customer customer_id time ordered_at {
    amount: number
  }

  rfm value from orders {
    monetary amount
    as of 2026-10-01
    bins 5
  }

  segment at_risk "Bought often, gone quiet" = value.r <= 2 and value.f >= 4
  segment north = shoppers.region = "north" and shoppers.age < 35

  channel mail cost 0.80 per contact
  channel phone cost 3.50 per contact capacity 2000 per day

  metric responded = any(orders)
  metric revenue = sum(orders.amount)
  metric order_value = sum(orders.amount) / count(orders)

  campaign winback {
    audience at_risk and not north
    channel mail
    channel phone after 7 days
    runs 2026-11-01 to 2026-11-30
    control 10% seed "winback-2026"
    attribution 30 days

    goal "Lapsed buyers come back": lift(responded) >= 15% by 2026-12-31
    goal total(revenue) >= 40000 by 2026-12-31
  }
}
`;
