// What a plan means, as flat records that compare by value: one entity per declaration (and per arm, goal and tier),
// keyed by its kind and name, each with its settings as normalized text or numbers. Layout, comments, the order of
// declarations and statements and spelled-out defaults (`bins 5`, `attribution 30 days`) leave no trace, so two texts
// that mean the same plan give equal records. `mplan diff` compares them (plan-compare.ts).
import type { AstNode, CstNode, LangiumDocument, LangiumDocuments } from 'langium';
import { CstUtils } from 'langium';
import { URI } from 'vscode-uri';
import type { Attitude, Campaign, ChannelStep, Clv, DataSource, Declaration, Goal, Model, Rfm, Segment, Tiers } from './generated/ast.js';
import {
    isAttitude, isCampaign, isChannel, isClv, isCurrencySetting, isCustomersSource, isDataSource, isMargin, isMetric, isMetricGoalTarget,
    isObjectiveSetting, isOwnerSetting, isRfm, isSegment, isTiers
} from './generated/ast.js';
import { transitiveImports } from './imports.js';
import {
    DEFAULT_ATTRIBUTION_DAYS, DEFAULT_RFM_BINS, attitudeSettings, campaignArms, campaignSettings, clvSettings, declarationsOf, rfmSettings, tiersOf
} from './semantics.js';

export type MeaningValue = string | number;

/** One thing a plan declares: `campaign winback`, `campaign winback / arm mail`, `channel email`, ... */
export interface MeaningEntity {
    /** Kind and name, with the owner's path first for arms, goals and tiers. Unique within a plan. */
    path: string;
    /** Settings in a fixed order; a setting that is absent (and has no default) is left out. */
    fields: Array<[string, MeaningValue]>;
}

export interface PlanMeaning {
    /** In declaration order, each owner before what it owns. */
    entities: MeaningEntity[];
}

/** Path separator between an entity and what it owns, and before a field: `campaign winback / goal 2 / deadline`. */
export const PATH_SEPARATOR = ' / ';

/**
 * The meaning of a built document: its plan's settings, its own declarations and those of the files it imports
 * (transitively), since an imported channel's cost is as much the plan's as its own.
 */
export function planMeaning(document: LangiumDocument<Model>, documents: LangiumDocuments): PlanMeaning {
    const model = document.parseResult.value;
    const imported = [...transitiveImports(document, documents)]
        .map(uri => documents.getDocument(URI.parse(uri))?.parseResult.value as Model | undefined)
        .filter((m): m is Model => m !== undefined);
    const entities: MeaningEntity[] = [];
    const plan = model.plans[0];
    if (plan) {
        const fields: Array<[string, MeaningValue | undefined]> = [
            ['name', plan.name],
            ['objective', plan.settings.find(isObjectiveSetting)?.objective],
            ['owner', plan.settings.find(isOwnerSetting)?.owner],
            ['currency', plan.settings.find(isCurrencySetting)?.currency],
            ['margin', percent(plan.settings.find(isMargin)?.percent)]
        ];
        entities.push({ path: 'plan', fields: present(fields) });
    }
    const declarations = [...declarationsOf(model), ...imported.flatMap(declarationsOf)];
    const metrics = new Set(declarations.filter(isMetric).map(m => m.name));
    for (const declaration of declarations) entities.push(...declarationEntities(declaration, metrics));
    // A valid plan has unique names; a duplicate (in a plan with errors) still gets a path of its own.
    const seen = new Map<string, number>();
    for (const entity of entities) {
        const count = (seen.get(entity.path) ?? 0) + 1;
        seen.set(entity.path, count);
        if (count > 1) entity.path += ` #${count}`;
    }
    return { entities };
}

function declarationEntities(d: Declaration, metrics: Set<string>): MeaningEntity[] {
    if (isDataSource(d)) return [sourceEntity(d)];
    if (isRfm(d)) return [rfmEntity(d)];
    if (isClv(d)) return [clvEntity(d)];
    if (isAttitude(d)) return [attitudeEntity(d)];
    if (isSegment(d)) return [segmentEntity(d)];
    if (isTiers(d)) return tiersEntities(d);
    if (isChannel(d)) {
        return [{ path: `channel ${d.name}`, fields: present([['cost per contact', d.cost], ['capacity per day', d.capacity]]) }];
    }
    if (isMetric(d)) return [{ path: `metric ${d.name}`, fields: present([['definition', canonicalText(d.definition)]]) }];
    if (isCampaign(d)) return campaignEntities(d, metrics);
    return [];
}

function sourceEntity(s: DataSource): MeaningEntity {
    const fields: Array<[string, MeaningValue | undefined]> = [
        ['kind', isCustomersSource(s) ? 'customers' : 'events'],
        // Reading a table instead of a file (or another table) is a change of the source.
        [s.table ? 'table' : 'file', s.path],
        ...(isCustomersSource(s) ? [['key', s.key] as [string, string | undefined]] : [['customer', s.customer], ['time', s.time]] as Array<[string, string | undefined]>),
        // Columns by name: their order in the block means nothing.
        ...[...s.columns].sort((a, b) => a.name.localeCompare(b.name)).map(c => [`column ${c.name}`, c.type] as [string, string])
    ];
    return { path: `source ${s.name}`, fields: present(fields) };
}

function rfmEntity(r: Rfm): MeaningEntity {
    const s = rfmSettings(r);
    return {
        path: `rfm ${r.name}`,
        fields: present([['from', r.events?.$refText], ['monetary', s.monetary?.column?.$refText], ['as of', s.asOf?.date], ['bins', s.bins?.count ?? DEFAULT_RFM_BINS]])
    };
}

function clvEntity(c: Clv): MeaningEntity {
    const s = clvSettings(c);
    return {
        path: `clv ${c.name}`,
        fields: present([
            ['from', c.events?.$refText], ['model', s.model], ['monetary', s.monetary], ['period', s.period],
            ['calibration', s.calibration ? `${s.calibration.start} to ${s.calibration.end}` : undefined],
            // `12 month` and `12 months` alike; a unit the checker rejects stays as written.
            ['horizon', s.horizon ? `${num(s.horizon.count)} ${s.horizon.unit}${s.horizon.count === 1 ? '' : 's'}` : s.nodes.horizon ? `${num(s.nodes.horizon.count)} ${s.nodes.horizon.unit}` : undefined],
            ['discount per year', percent(s.discountPerYear * 100)],
            // The model's own margin; the plan's is a plan setting.
            ['margin', percent(s.nodes.margin?.percent)]
        ])
    };
}

function attitudeEntity(a: Attitude): MeaningEntity {
    const s = attitudeSettings(a);
    return {
        path: `attitude ${a.name}`,
        fields: present([
            ['from', a.events?.$refText], ['response', s.response], ['by', s.by.length > 0 ? s.by.join(', ') : undefined],
            ['half life', s.halfLifeDays !== undefined ? `${num(s.halfLifeDays)} days` : undefined], ['prior', s.prior]
        ])
    };
}

function segmentEntity(s: Segment): MeaningEntity {
    return { path: `segment ${s.name}`, fields: present([['description', s.description], ['condition', canonicalText(s.condition)]]) };
}

function tiersEntities(t: Tiers): MeaningEntity[] {
    const path = `tiers ${t.name}`;
    const tiers = tiersOf(t);
    // First match wins: the order of the tiers is part of their meaning.
    const own: MeaningEntity = { path, fields: present([['description', t.description], ['order', tiers.map(x => x.name).join(', ')]]) };
    return [own, ...tiers.map(x => ({ path: `${path}${PATH_SEPARATOR}tier ${x.name}`, fields: present([['condition', x.otherwise ? 'otherwise' : canonicalText(x.condition)]]) }))];
}

function campaignEntities(c: Campaign, metrics: Set<string>): MeaningEntity[] {
    const path = `campaign ${c.name}`;
    const s = campaignSettings(c);
    const groups = s.groups;
    // Without `value`, ROI reads the metric named revenue when there is one: the same meaning as `value revenue`.
    const value = s.value?.metric?.$refText ?? (metrics.has('revenue') ? 'revenue' : undefined);
    const fields: Array<[string, MeaningValue | undefined]> = [
        ['audience', canonicalText(s.audience?.condition)],
        ['limit', s.limit ? `${num(s.limit.count)}${s.limit.by ? ` by ${canonicalText(s.limit.by)}` : ''}` : undefined],
        ['uplift by', canonicalText(s.uplift?.by)],
        ['channels', s.arms.length === 0 ? stepsText(s.steps) : undefined],
        ['offer', s.offer?.text],
        ['offer cost', s.offer?.cost !== undefined ? `${num(s.offer.cost)} per ${s.offer.per?.$refText ?? ''}` : undefined],
        ['fixed cost', s.fixedCost?.amount],
        ['runs', s.runs ? `${s.runs.start} to ${s.runs.end}` : undefined],
        ['control', s.control ? percent(s.control.share) : undefined],
        ['seed', s.control?.seed],
        ['groups', groups ? `from ${groups.source?.$refText}.${groups.column?.$refText}${groups.treatment !== undefined ? ` treatment "${groups.treatment}"` : ''} control "${groups.control}"` : undefined],
        ['split', groups && groups.weights.length > 0 ? groups.weights.map(num).join(':') : undefined],
        ['attribution', `${num(s.attribution?.days ?? DEFAULT_ATTRIBUTION_DAYS)} days`],
        ['budget', s.budget?.amount],
        ['margin', percent(s.margin?.percent)],
        ['value', value]
    ];
    const entities: MeaningEntity[] = [{ path, fields: present(fields) }];
    if (s.arms.length > 0) {
        for (const arm of campaignArms(c)) {
            entities.push({
                path: `${path}${PATH_SEPARATOR}arm ${arm.name}`,
                // Shares as the runner reads them: no share stated is an equal part, the same as equal shares written out.
                fields: present([['share', percent(round(arm.sharePercent))], ['label', arm.label], ['channels', stepsText(arm.steps)]])
            });
        }
    }
    const keys = goalKeys(s.goals);
    s.goals.forEach((goal, i) => {
        entities.push({ path: `${path}${PATH_SEPARATOR}goal ${keys[i]}`, fields: present([['target', canonicalText(goal.target)], ['deadline', goal.deadline]]) });
    });
    return entities;
}

/**
 * Stable keys for a campaign's goals: the label when it has one; else what it judges, without the target (`lift(responded)`,
 * `roi for mail`, `cost`), so that a new target is a change of the goal rather than another goal; the operator is added
 * when two unlabelled goals judge the same thing (`lift(x) >=`, `lift(x) <=`), then a number (`#2`).
 */
export function goalKeys(goals: Goal[]): string[] {
    const subject = (g: Goal) => {
        const t = g.target;
        const arm = t?.arm ? ` for ${t.arm.$refText}${t.versus ? ` vs ${t.versus.$refText}` : ''}` : '';
        return `${t?.kind ?? '?'}${isMetricGoalTarget(t) ? `(${t.metric?.$refText ?? ''})` : ''}${arm}`;
    };
    const keys = goals.map(g => (g.label !== undefined ? `"${g.label}"` : subject(g)));
    const withOperator = keys.map((key, i) => (goals[i].label === undefined && keys.filter(k => k === key).length > 1 ? `${key} ${goals[i].target?.operator ?? ''}` : key));
    const seen = new Map<string, number>();
    return withOperator.map(key => {
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        return n > 1 ? `${key} #${n}` : key;
    });
}

/** A sequence of channel steps: `email, mail after 7 days unless responded`. Its order is the contact order. */
function stepsText(steps: ChannelStep[]): string | undefined {
    if (steps.length === 0) return undefined;
    return steps.map(step => {
        const channel = step.bestOf ? canonicalText(step.bestOf) : step.channel?.$refText ?? '?';
        const after = step.delay ? ` after ${num(step.delay)} days` : '';
        const unless = step.unless ? ` unless ${step.unless.$refText}` : '';
        return `${channel}${after}${unless}`;
    }).join(', ');
}

// Tokens that take no space before them, or after them.
const TIGHT_BEFORE = new Set([')', ']', ',', '.', '%', ':']);
const TIGHT_AFTER = new Set(['(', '[', '.']);
const OPERATORS = new Set(['=', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '(', '[', ',', 'and', 'or', 'not', 'in', 'between', 'by']);

/**
 * The tokens of a node, one space apart as the formatter lays them out (`lift(x) >= 10%`, `value.r <= 2`), comments
 * dropped and numbers written plainly (`10.0` is `10`): any layout of the same tokens gives the same text.
 */
export function canonicalText(node: AstNode | undefined): string | undefined {
    const cst = node?.$cstNode;
    if (!cst) return undefined;
    const tokens = CstUtils.flattenCst(cst).filter(leaf => !leaf.hidden).map(leaf => tokenText(leaf)).toArray();
    let out = '';
    tokens.forEach((token, i) => {
        const previous = tokens[i - 1];
        const unaryMinus = previous === '-' && (i < 2 || OPERATORS.has(tokens[i - 2]));
        const call = token === '(' && previous !== undefined && /^[A-Za-z_]\w*$/.test(previous) && !OPERATORS.has(previous);
        const tight = i === 0 || TIGHT_BEFORE.has(token) || TIGHT_AFTER.has(previous) || unaryMinus || call;
        out += (tight ? '' : ' ') + token;
    });
    return out;
}

function tokenText(leaf: CstNode): string {
    const text = leaf.text;
    return /^\d+(\.\d+)?$/.test(text) ? num(Number(text)) : text;
}

function num(value: number): string {
    return String(value);
}

function round(value: number): number {
    return Math.round(value * 1e9) / 1e9;
}

function percent(value: number | undefined): string | undefined {
    return value === undefined ? undefined : `${num(round(value))}%`;
}

function present(fields: Array<[string, MeaningValue | undefined]>): Array<[string, MeaningValue]> {
    return fields.filter((f): f is [string, MeaningValue] => f[1] !== undefined && f[1] !== '');
}
