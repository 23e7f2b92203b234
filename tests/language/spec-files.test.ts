// The normative examples in ../shared/spec must parse, link and validate exactly as their comments say.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from 'langium/node';
import { createMplanServices } from '../../src/language/mplan-module.js';
import { loadDocuments } from '../../src/language/load-documents.js';
import { AstUtils } from 'langium';
import type { Metric, Model, Segment } from '../../src/language/generated/ast.js';
import { isAggregate, isCampaign, isMetric, isSegment, isTiers } from '../../src/language/generated/ast.js';
import { aggregateShape, campaignSettings, containsAggregate, declarationsOf, tiersOf, timeReference } from '../../src/language/semantics.js';

const specDir = path.resolve(__dirname, '../../../shared/spec');
const specNextDir = path.resolve(__dirname, '../../../shared/spec-next');

/** A spec file by name: in spec, or in spec-next while its issue is open. */
function specFile(file: string): string {
    const landed = path.join(specDir, file);
    return fs.existsSync(landed) ? landed : path.join(specNextDir, file);
}

async function diagnosticsOf(file: string) {
    const { Mplan } = createMplanServices(NodeFileSystem);
    const [loaded] = await loadDocuments(Mplan, [specFile(file)]);
    return loaded.diagnostics;
}

describe('normative spec files', () => {
    for (const file of ['winback.mplan', 'recorded-groups.mplan']) {
        it(`${file} has no errors`, async () => {
            const errors = (await diagnosticsOf(file)).filter(d => d.severity === 1);
            expect(errors.map(e => `${e.range.start.line + 1}: ${e.message}`)).toEqual([]);
        });
    }

    // Issue 9: arms, conditional steps and the real money. Clean but for their data files, which are not shipped
    // (arms.mplan) or lie outside ../shared/spec-next, which is no repository (recorded-arms.mplan).
    for (const [file, dataCodes] of [['arms.mplan', ['data-file-missing']], ['recorded-arms.mplan', ['data-path-outside-root']]] as const) {
        it(`${file} has no errors and no warnings but about its data files`, async () => {
            const diagnostics = (await diagnosticsOf(file)).filter(d => (d.severity === 1 || d.severity === 2) && !(dataCodes as readonly string[]).includes(String(d.code)));
            expect(diagnostics.map(e => `${e.range.start.line + 1}: [${e.code}] ${e.message}`)).toEqual([]);
        });
    }

    // Issue 10: audiences chosen by behaviour. Clean but for its data files, which are not shipped.
    it('behaviour.mplan has no errors and no warnings but about its data files, and means what its comments say', async () => {
        const diagnostics = await diagnosticsOf('behaviour.mplan');
        const others = diagnostics.filter(d => (d.severity === 1 || d.severity === 2) && d.code !== 'data-file-missing');
        expect(others.map(e => `${e.range.start.line + 1}: [${e.code}] ${e.message}`)).toEqual([]);
        expect(diagnostics.filter(d => d.code === 'data-file-missing')).toHaveLength(4);
        const { Mplan } = createMplanServices(NodeFileSystem);
        const [loaded] = await loadDocuments(Mplan, [specFile('behaviour.mplan')]);
        const model = loaded.document.parseResult.value as Model;
        const declarations = declarationsOf(model);
        // Every customer in exactly one tier: otherwise takes the rest.
        const tiers = declarations.find(isTiers)!;
        expect(tiersOf(tiers).map(t => t.name)).toEqual(['gold', 'value', 'growth', 'dormant', 'lost']);
        expect(tiersOf(tiers).at(-1)!.otherwise).toBe(true);
        // The music fans: a filter and a window of 365 days, counted before the reference date.
        const fans = declarations.find((d): d is Segment => isSegment(d) && d.name === 'music_fans')!;
        const aggregate = AstUtils.streamAst(fans).find(isAggregate)!;
        expect(aggregateShape(aggregate)).toMatchObject({ function: 'count', withinDays: 365 });
        expect(aggregateShape(aggregate)!.filter!.$cstNode!.text).toBe('category = "music"');
        expect(timeReference(aggregate)?.kind).toBe('condition');
        // The metric counts the attribution window; the campaign's audience is capped at 20,000 by usage.m + usage.f.
        const came = declarations.find((d): d is Metric => isMetric(d) && d.name === 'came')!;
        expect(timeReference(AstUtils.streamAst(came).find(isAggregate)!)?.kind).toBe('attribution');
        const concert = declarations.find(isCampaign)!;
        const limit = campaignSettings(concert).limit!;
        expect([limit.count, limit.by?.$cstNode?.text]).toEqual([20000, 'usage.m + usage.f']);
        expect(containsAggregate(campaignSettings(concert).audience!.condition)).toBe(true);
    });

    it('recorded-groups.mplan reads ../data from outside its root (../shared is no repository): a warning', async () => {
        const outside = (await diagnosticsOf('recorded-groups.mplan')).filter(d => d.code === 'data-path-outside-root');
        expect(outside.map(d => [d.range.start.line + 1, d.severity])).toEqual([[6, 2]]);
    });

    it('not-smart.mplan gets each commented diagnostic on its line, and no other errors', async () => {
        const text = fs.readFileSync(path.join(specDir, 'not-smart.mplan'), 'utf8');
        const expected = new Map<number, 'error' | 'warning'>();
        text.split('\n').forEach((line, index) => {
            const match = /\/\/\s*(error|warning):/.exec(line);
            if (match && !line.trimStart().startsWith('//')) expected.set(index, match[1] as 'error' | 'warning');
        });
        expect(expected.size).toBe(5);
        const diagnostics = await diagnosticsOf('not-smart.mplan');
        for (const [line, severity] of expected) {
            const wanted = severity === 'error' ? 1 : 2;
            const onLine = diagnostics.filter(d => d.range.start.line === line && d.severity === wanted);
            expect(onLine, `line ${line + 1} should have a ${severity}`).not.toHaveLength(0);
        }
        const strayErrors = diagnostics.filter(d => d.severity === 1 && expected.get(d.range.start.line) !== 'error');
        expect(strayErrors.map(e => `${e.range.start.line + 1}: ${e.message}`)).toEqual([]);
    });
});
