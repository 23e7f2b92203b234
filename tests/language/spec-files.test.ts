// The normative examples in ../shared/spec must parse, link and validate exactly as their comments say.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from 'langium/node';
import { createMplanServices } from '../../src/language/mplan-module.js';
import { loadDocuments } from '../../src/language/load-documents.js';
import { AstUtils } from 'langium';
import type { Metric, Model, Segment } from '../../src/language/generated/ast.js';
import { isAggregate, isAttitude, isCampaign, isClv, isMemberAccess, isMetric, isSegment, isTiers } from '../../src/language/generated/ast.js';
import {
    aggregateShape, allSteps, attitudeSettings, bestOf, campaignSettings, campaignUplift, clvSettings, containsAggregate, declarationsOf, memberTarget,
    scoreReference, tiersOf, timeReference, typeOf
} from '../../src/language/semantics.js';

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

    // Issue 11: customer value and attitude. Its purchases come from ../data, outside ../shared/spec-next (no
    // repository), so they need ../data allowed as a data root, as the README says; contacts.csv is not shipped.
    it('value.mplan has no errors and no warnings but contacts.csv missing (with ../data a data root), and means what its comments say', async () => {
        const dataRoot = path.resolve(__dirname, '../../../shared/data');
        const before = process.env.MPLAN_DATA_ROOTS;
        process.env.MPLAN_DATA_ROOTS = dataRoot;
        let diagnostics;
        try {
            diagnostics = await diagnosticsOf('value.mplan');
        } finally {
            if (before === undefined) delete process.env.MPLAN_DATA_ROOTS;
            else process.env.MPLAN_DATA_ROOTS = before;
        }
        expect(diagnostics.filter(d => d.severity === 1 || d.severity === 2).map(d => `${d.range.start.line + 1}: [${d.code}] ${d.message.replace(/ \(looked for .*/, '')}`))
            .toEqual(["14: [data-file-missing] Data file 'contacts.csv' does not exist"]);
        expect(fs.existsSync(path.join(dataRoot, 'cdnow_sample.csv')) && fs.existsSync(path.join(dataRoot, 'cdnow_sample_customers.csv'))).toBe(true);
        // Without ../data allowed: the data files outside the root, as recorded-groups.mplan.
        const outside = (await diagnosticsOf('value.mplan')).filter(d => d.code === 'data-path-outside-root');
        expect(outside.map(d => d.range.start.line + 1)).toEqual([8, 10]);

        const { Mplan } = createMplanServices(NodeFileSystem);
        const [loaded] = await loadDocuments(Mplan, [specFile('value.mplan')]);
        const declarations = declarationsOf(loaded.document.parseResult.value as Model);
        // The CLV model: BG/NBD with Gamma-Gamma on amount, in weeks, fitted on 1997-01-01..1997-09-30, 52 weeks ahead,
        // 10% a year discounted to the end of calibration, a margin of 30%.
        const clv = clvSettings(declarations.find(isClv)!);
        expect([clv.model, clv.monetary, clv.period, clv.periodDays, clv.calibration?.start, clv.calibration?.end, clv.horizon?.days, clv.horizon?.periods, clv.discountPerYear, clv.margin])
            .toEqual(['bgnbd', 'amount', 'week', 7, '1997-01-01', '1997-09-30', 364, 52, 0.1, 0.3]);
        // The attitude: responses to contacts, a score per channel and per offer, half life 180 days, prior 5 contacts.
        const attitude = attitudeSettings(declarations.find(isAttitude)!);
        expect([attitude.source?.name, attitude.response, attitude.by, attitude.halfLifeDays, attitude.prior]).toEqual(['contacts', 'responded', ['channel', 'offer'], 180, 5]);
        // The segments: P(alive) below 30% and a value of at least 50 (as of the end of calibration); an sms score of 60+.
        const segment = (name: string) => declarations.find((d): d is Segment => isSegment(d) && d.name === name)!;
        const scores = (name: string) => AstUtils.streamAst(segment(name)).filter(isMemberAccess).toArray();
        expect(scores('fading').map(a => [memberTarget(a)?.kind, a.member.$refText, typeOf(a), scoreReference(a)?.kind])).toEqual([
            ['clv', 'alive', 'number', 'calibration'], ['clv', 'clv', 'number', 'calibration']
        ]);
        expect(scores('sms_people').map(a => [memberTarget(a), scoreReference(a)?.kind])).toEqual([
            [expect.objectContaining({ kind: 'attitude', column: 'channel', value: 'sms' }), 'condition']
        ]);
        // The campaign: each customer's highest-scoring channel of the three, uplift ranked by the value, a control group.
        const campaign = declarations.find(isCampaign)!;
        const view = bestOf(allSteps(campaign)[0])!;
        expect([view.channels.map(c => c.name), view.attitude?.name, view.column]).toEqual([['email', 'sms', 'phone'], 'prefs', 'channel']);
        expect(campaignUplift(campaign)?.$cstNode?.text).toBe('value.clv');
        expect(campaignSettings(campaign).control?.share).toBe(20);
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
