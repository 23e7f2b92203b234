// An auto-escaping HTML template: html`<td>${value}</td>` escapes every interpolated value unless it is itself an
// html`...` fragment, so a value from a report (a plan name, a status, a label) can only ever become text. The report
// page and the editor's report view are built with it alone; there is no other way to put markup into them.

/** Markup made by `html` (or `trustedCss`): the only values interpolated without escaping. */
export class Html {
    constructor(readonly text: string) {}
    toString(): string {
        return this.text;
    }
}

/** What may be interpolated: fragments, text and numbers (escaped), lists of those; null, undefined and false render nothing. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Escapes text for element content and double-quoted attribute values. `'` needs no escape there, and the `html` tag
 * refuses single-quoted and unquoted attribute values, the only places where it would.
 */
export function escapeHtml(value: unknown): string {
    return String(value ?? '').replace(/[&<>"]/g, c => ENTITIES[c]);
}

function render(value: HtmlValue): string {
    if (value instanceof Html) return value.text;
    if (Array.isArray(value)) return value.map(render).join('');
    if (value === null || value === undefined || value === false) return '';
    return escapeHtml(value);
}

// An interpolation right after `=` or `='` is an attribute value outside double quotes, where escaping is not enough.
const UNSAFE_ATTRIBUTE = /=\s*'?$/;

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
    let out = strings[0];
    for (let i = 0; i < values.length; i++) {
        if (UNSAFE_ATTRIBUTE.test(strings[i])) throw new Error(`html: an attribute value must be in double quotes (after ${JSON.stringify(strings[i].slice(-20))})`);
        out += render(values[i]) + strings[i + 1];
    }
    return new Html(out);
}

/** A stylesheet written in our own code (never a value from a report), for a <style> element. */
export function trustedCss(css: string): Html {
    if (/<\//.test(css)) throw new Error('a stylesheet must not contain "</"');
    return new Html(css);
}

/** Joins fragments with a separator fragment. */
export function join(values: readonly HtmlValue[], separator: Html = html``): Html {
    return new Html(values.map(render).filter(text => text !== '').join(separator.text));
}
