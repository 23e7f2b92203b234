// Checks of a file as a whole: plan settings, imports, unique names, and the data sources.
import * as fs from 'node:fs';
import type { AstNode } from 'langium';
import { AstUtils } from 'langium';
import type { Channel, DataSource, Import, Model, Plan, Rfm } from '../generated/ast.js';
import { isCurrencySetting, isCustomersSource, isEventsSource, isMargin, isObjectiveSetting, isOwnerSetting } from '../generated/ast.js';
import { checkMargin } from './arm-checks.js';
import { isPlanPath, resolveImportUri } from '../imports.js';
import { DATA_ROOTS_ENV, checkDataPath, dataRootsOf, rootsFromEnv } from '../data-roots.js';
import { DEFAULT_RFM_BINS, declarationsOf, lineOf, parseDate, rfmSettings, sourceColumn, tableName } from '../semantics.js';
import type { Report } from './report.js';

const DATA_EXTENSIONS = /\.(csv|tsv|parquet|json|jsonl|ndjson)(\.gz)?$/i;

export function checkModel(model: Model, report: Report): void {
    if (model.plans.length > 1) {
        for (const extra of model.plans.slice(1)) {
            report('error', 'plan-multiple', 'One file holds one plan; move this plan to a file of its own.', { node: extra, keyword: 'plan' });
        }
    }
    checkUniqueNames(model, report);
    for (const imp of model.imports) checkImport(imp, report);
}

export function checkPlan(plan: Plan, report: Report): void {
    const objectives = plan.settings.filter(isObjectiveSetting);
    if (objectives.length === 0) {
        report('error', 'plan-missing-objective', 'The plan has no objective: add `objective acquisition`, `activation`, `retention` or `growth`, so its goals can be judged relevant.', { node: plan, property: 'name' });
    }
    for (const [kind, settings] of [['objective', objectives], ['owner', plan.settings.filter(isOwnerSetting)], ['currency', plan.settings.filter(isCurrencySetting)], ['margin', plan.settings.filter(isMargin)]] as const) {
        for (const duplicate of settings.slice(1)) {
            report('error', 'plan-duplicate-setting', `The plan states its ${kind} twice.`, { node: duplicate });
        }
    }
    for (const margin of plan.settings.filter(isMargin)) checkMargin(margin, report);
    for (const currency of plan.settings.filter(isCurrencySetting)) {
        if (currency.currency && !/^[A-Z]{3}$/.test(currency.currency)) {
            report('warning', 'currency-code', `'${currency.currency}' is not an ISO 4217 currency code (three capital letters, such as USD or EUR).`, { node: currency, property: 'currency' });
        }
    }
}

function checkUniqueNames(model: Model, report: Report): void {
    const seen = new Map<string, AstNode>();
    for (const declaration of declarationsOf(model)) {
        const name = declaration.name;
        if (typeof name !== 'string' || name.length === 0) continue;
        const first = seen.get(name);
        if (first) {
            report('error', 'duplicate-name', `The name '${name}' is already declared (as ${/^(RFM|[aeiou])/i.test(describe(first)) ? 'an' : 'a'} ${describe(first)}) on line ${lineOf(first)}.`, { node: declaration, property: 'name' });
        } else {
            seen.set(name, declaration);
        }
    }
}

function checkImport(imp: Import, report: Report): void {
    if (typeof imp.path !== 'string') return;
    const document = AstUtils.getDocument(imp);
    const target = resolveImportUri(document, imp.path);
    if (target.toString() === document.uri.toString()) {
        report('error', 'import-self', 'A file cannot import itself.', { node: imp, property: 'path' });
        return;
    }
    if (!isPlanPath(imp.path)) {
        report('error', 'import-not-found', `Only .mplan files can be imported; '${imp.path}' is not one (data files are read by \`customers\` and \`events\` sources).`, { node: imp, property: 'path' });
        return;
    }
    if (target.scheme === 'file' && !fs.existsSync(target.fsPath)) {
        report('error', 'import-not-found', `Imported file '${imp.path}' does not exist (looked for ${target.fsPath}).`, { node: imp, property: 'path' });
    }
}

export function checkDataSource(source: DataSource, report: Report): void {
    const seen = new Set<string>();
    for (const column of source.columns) {
        if (seen.has(column.name)) {
            report('error', 'duplicate-name', `Column '${column.name}' is declared twice in '${source.name}'.`, { node: column, property: 'name' });
        }
        seen.add(column.name);
    }
    if (source.table) {
        // A table is checked from the plan alone: neither the editor nor `mplan check` connects to a database.
        if (typeof source.path === 'string' && !tableName(source.path)) {
            report('error', 'table-name', `'${source.path}' is not a table name: write "schema.table", or "table" for the engine's default schema (the text is split at its last dot, and neither part may be empty).`, { node: source, property: 'path' });
        }
        if (isCustomersSource(source) && !source.key) {
            report('error', 'table-missing-key', `Customers source '${source.name}' reads a table, so it needs \`key COLUMN\`: a table's rows have no order, so the row number cannot be the key.`, { node: source, property: 'name' });
        }
    } else if (typeof source.path === 'string') {
        if (!DATA_EXTENSIONS.test(source.path)) {
            report('warning', 'data-file-format', `'${source.path}' is not a .csv, .tsv, .parquet, .json or .jsonl file; the runner reads only those.`, { node: source, property: 'path' });
        }
        const document = AstUtils.getDocument(source);
        const uri = resolveImportUri(document, source.path);
        // Checked before anything looks at the file: a path outside the root is never probed.
        const roots = uri.scheme === 'file' && document.uri.scheme === 'file' ? dataRootsOf(document.uri.fsPath, rootsFromEnv()) : undefined;
        const root = roots?.[0];
        const outside = roots !== undefined && !checkDataPath(uri.fsPath, roots).inside;
        if (outside) {
            report('warning', 'data-path-outside-root', `Data file '${source.path}' is outside the plan's root folder ${root} (its repository, or its own folder outside one), so \`mplan run\` refuses to read it. Keep the data inside the repository, or allow its folder with \`--data-root DIR\` or ${DATA_ROOTS_ENV}.`, { node: source, property: 'path' });
        } else if (uri.scheme === 'file' && !fs.existsSync(uri.fsPath)) {
            report('warning', 'data-file-missing', `Data file '${source.path}' does not exist (looked for ${uri.fsPath}); the plan can be checked but not run.`, { node: source, property: 'path' });
        }
    }
    if (isEventsSource(source)) {
        if (!source.customer) {
            report('error', 'events-missing-customer', `Events source '${source.name}' needs \`customer COLUMN\`: the column that says whose event it is.`, { node: source, property: 'name' });
        }
        if (!source.time) {
            report('error', 'events-missing-time', `Events source '${source.name}' needs \`time COLUMN\`: the column that says when the event happened.`, { node: source, property: 'name' });
        } else {
            const time = sourceColumn(source, source.time);
            if (time?.kind === 'column' && time.column && time.type !== 'date') {
                report('error', 'key-column-type', `Time column '${source.time}' must be a date, not ${time.type}.`, { node: time.column, property: 'type' });
            }
        }
    }
}

export function checkRfm(rfm: Rfm, report: Report): void {
    const events = rfm.events?.ref;
    if (rfm.events?.ref && !isEventsSource(events)) {
        report('error', 'rfm-needs-events', `RFM model '${rfm.name}' must be computed from an events source; '${rfm.events.$refText}' is a customers source.`, { node: rfm, property: 'events' });
    }
    const settings = rfmSettings(rfm);
    for (const type of ['RfmMonetary', 'RfmAsOf', 'RfmBins']) {
        for (const duplicate of rfm.settings.filter(s => s.$type === type).slice(1)) {
            report('error', 'duplicate-statement', 'This setting is already given above in this RFM model.', { node: duplicate });
        }
    }
    if (!settings.monetary) {
        report('error', 'rfm-missing-monetary', `RFM model '${rfm.name}' needs \`monetary COLUMN\`: the number column whose sum is the monetary value.`, { node: rfm, property: 'name' });
    } else if (events && isEventsSource(events) && settings.monetary.column?.ref) {
        const column = sourceColumn(events, settings.monetary.column.$refText);
        if (column?.kind === 'column' && column.type !== 'number') {
            report('error', 'rfm-monetary-type', `The monetary column '${column.name}' is ${column.type}; it must be a number.`, { node: settings.monetary, property: 'column' });
        }
    }
    if (settings.asOf?.date && parseDate(settings.asOf.date) === undefined) {
        report('error', 'invalid-date', `${settings.asOf.date} is not a date in the calendar.`, { node: settings.asOf, property: 'date' });
    }
    if (settings.bins) {
        const bins = settings.bins.count;
        if (!Number.isInteger(bins) || bins < 2 || bins > 10) {
            report('error', 'rfm-bins-range', `RFM bins must be a whole number from 2 to 10 (default ${DEFAULT_RFM_BINS}), not ${bins}.`, { node: settings.bins, property: 'count' });
        }
    }
}

export function checkChannel(channel: Channel, report: Report): void {
    if (channel.cost !== undefined && channel.cost < 0) {
        report('error', 'channel-cost', 'A cost per contact cannot be negative.', { node: channel, property: 'cost' });
    }
    if (channel.capacity !== undefined && (channel.capacity <= 0 || !Number.isInteger(channel.capacity))) {
        report('error', 'channel-cost', 'A capacity must be a positive whole number of contacts per day.', { node: channel, property: 'capacity' });
    }
}

export function describe(node: AstNode): string {
    switch (node.$type) {
        case 'CustomersSource': return 'customers source';
        case 'EventsSource': return 'events source';
        case 'Rfm': return 'RFM model';
        case 'Clv': return 'CLV model';
        case 'Attitude': return 'attitude';
        default: return node.$type.toLowerCase();
    }
}
