// The escaping template every report page is built with: values become text, only html`` fragments become markup,
// and a value cannot be placed where escaping would not protect it.
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, join, trustedCss } from '../../src/runner/report/html-template.js';

describe('html template', () => {
    it('escapes interpolated text and numbers', () => {
        const evil = '<a href="https://x.test">click</a> & <script>alert(1)</script>';
        expect(html`<td>${evil}</td>`.text).toBe('<td>&lt;a href=&quot;https://x.test&quot;&gt;click&lt;/a&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</td>');
        expect(html`<td>${42}</td>`.text).toBe('<td>42</td>');
    });

    it('keeps fragments, flattens lists, and renders nothing for null, undefined and false', () => {
        const rows = ['a<', 'b>'].map(v => html`<li>${v}</li>`);
        expect(html`<ul>${rows}</ul>`.text).toBe('<ul><li>a&lt;</li><li>b&gt;</li></ul>');
        expect(html`[${null}${undefined}${false}]`.text).toBe('[]');
        expect(join([html`<b>1</b>`, null, '<2>'], html` · `).text).toBe('<b>1</b> · &lt;2&gt;');
    });

    it('escapes a value inside a double-quoted attribute so it cannot close the quote', () => {
        expect(html`<a title="${'" onclick="x'}">`.text).toBe('<a title="&quot; onclick=&quot;x">');
        expect(escapeHtml(`it's`)).toBe(`it's`);
    });

    it('refuses values in unquoted or single-quoted attributes, where escaping would not be enough', () => {
        expect(() => html`<a title=${'x onclick=alert(1)'}>`).toThrow(/double quotes/);
        expect(() => html`<a title='${'x'}'>`).toThrow(/double quotes/);
    });

    it('a stylesheet cannot end its <style> element', () => {
        expect(() => trustedCss('a{}</style><script>')).toThrow();
        expect(html`<style>${trustedCss('a > b {}')}</style>`.text).toBe('<style>a > b {}</style>');
    });
});
