// Keeps the hand-written TextMate grammar (syntaxes/mplan.tmLanguage.json) in step with the Langium grammar: every
// keyword of src/language/mplan.langium gets a scope, and sample lines get the scopes the editor's themes rely on.
// Tokenizes with vscode-textmate and Oniguruma, the engine VS Code itself uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = path.resolve(__dirname, '../..');
const require = createRequire(import.meta.url);
let grammar: vsctm.IGrammar;

/** The quoted keywords of the Langium grammar (comments and terminal regexes left out). */
export function langiumKeywords(): string[] {
    const text = fs.readFileSync(path.join(root, 'src/language/mplan.langium'), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/[^\n]*/g, '');
    const keywords = new Set<string>();
    for (const match of text.matchAll(/'((?:[^'\\]|\\.)+)'/g)) keywords.add(match[1]);
    return [...keywords].sort();
}

beforeAll(async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
            createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
            createOnigString: (text: string) => new oniguruma.OnigString(text)
        }),
        loadGrammar: async scopeName => {
            if (scopeName !== 'source.mplan') return null;
            const file = path.join(root, 'syntaxes/mplan.tmLanguage.json');
            return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
        }
    });
    grammar = (await registry.loadGrammar('source.mplan'))!;
});

interface Token { text: string; scopes: string[] }

function tokenize(line: string): Token[] {
    const result = grammar.tokenizeLine(line, vsctm.INITIAL);
    return result.tokens.map(t => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.filter(s => s !== 'source.mplan') }));
}

/** The innermost scope of the token that covers `text` in `line`. */
function scopeOf(line: string, text: string): string | undefined {
    const start = line.indexOf(text);
    const result = grammar.tokenizeLine(line, vsctm.INITIAL);
    const token = result.tokens.find(t => t.startIndex <= start && t.endIndex > start);
    return token?.scopes.at(-1);
}

const KEYWORD_SCOPE = /^(keyword|storage|support|constant|punctuation)\./;

describe('TextMate grammar', () => {
    it('is valid JSON with the scope name the manifest contributes', () => {
        const raw = JSON.parse(fs.readFileSync(path.join(root, 'syntaxes/mplan.tmLanguage.json'), 'utf8'));
        const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
        expect(raw.scopeName).toBe('source.mplan');
        expect(pkg.contributes.grammars).toContainEqual({ language: 'mplan', scopeName: 'source.mplan', path: './syntaxes/mplan.tmLanguage.json' });
    });

    it('finds the keywords of the Langium grammar', () => {
        const keywords = langiumKeywords();
        expect(keywords).toContain('campaign');
        expect(keywords).toContain('>=');
        expect(keywords.length).toBeGreaterThan(80);
    });

    it('gives every keyword of the Langium grammar a keyword-like scope', () => {
        const missing: string[] = [];
        for (const keyword of langiumKeywords()) {
            // Functions are scoped as calls (`sum(`); everything else stands alone.
            const contexts = [keyword, `${keyword}(x)`, `1 ${keyword}`];
            const scoped = contexts.some(line => {
                const scope = scopeOf(line, keyword);
                return scope !== undefined && KEYWORD_SCOPE.test(scope);
            });
            if (!scoped) missing.push(keyword);
        }
        expect(missing, `keywords of mplan.langium without a scope in syntaxes/mplan.tmLanguage.json: ${missing.join(' ')}`).toEqual([]);
    });

    it('names no word keyword that the Langium grammar does not have', () => {
        const raw = fs.readFileSync(path.join(root, 'syntaxes/mplan.tmLanguage.json'), 'utf8');
        const keywords = new Set(langiumKeywords());
        const listed = new Set<string>();
        for (const match of raw.matchAll(/\\\\b\(([a-z|]+)\)/g)) for (const word of match[1].split('|')) listed.add(word);
        const stale = [...listed].filter(word => !keywords.has(word));
        expect(listed.size).toBeGreaterThan(60);
        expect(stale).toEqual([]);
    });

    it('scopes comments, strings, dates, numbers and units', () => {
        expect(scopeOf('// a comment', 'comment')).toMatch(/^comment\.line/);
        expect(scopeOf('/* block */ plan', 'block')).toMatch(/^comment\.block/);
        expect(scopeOf('owner "crm \\"team\\""', 'crm')).toMatch(/^string\.quoted/);
        expect(scopeOf('owner "crm \\"team\\""', '\\"')).toBe('constant.character.escape.mplan');
        expect(scopeOf('runs 2026-09-01 to 2026-09-30', '2026-09-01')).toBe('constant.other.date.mplan');
        expect(scopeOf('control 10% seed "x"', '10')).toBe('constant.numeric.mplan');
        expect(scopeOf('control 10% seed "x"', '%')).toBe('keyword.other.unit.percent.mplan');
        expect(scopeOf('goal lift(r) >= 3 pp by 2026-11-15', 'pp')).toBe('keyword.other.unit.pp.mplan');
        expect(scopeOf('goal roi >= 1.5 by 2026-11-15', '1.5')).toBe('constant.numeric.mplan');
    });

    it('scopes declarations, columns, member access and calls', () => {
        expect(scopeOf('campaign winback {', 'winback')).toBe('entity.name.type.campaign.mplan');
        expect(scopeOf('campaign winback {', 'campaign')).toBe('storage.type.campaign.mplan');
        expect(scopeOf('segment at_risk = value.r <= 2', 'at_risk')).toBe('entity.name.type.segment.mplan');
        // `value` names an RFM model here, not the `value METRIC` statement.
        expect(scopeOf('segment at_risk = value.r <= 2', 'value')).toBe('variable.other.object.mplan');
        expect(scopeOf('segment at_risk = value.r <= 2', 'r <')).toBe('variable.other.property.mplan');
        expect(scopeOf('    email_opt_in: boolean', 'email_opt_in')).toBe('variable.other.property.column.mplan');
        expect(scopeOf('    email_opt_in: boolean', 'boolean')).toBe('support.type.column.mplan');
        expect(scopeOf('metric revenue = sum(orders.amount)', 'sum')).toBe('support.function.mplan');
        expect(scopeOf('metric revenue = sum(orders.amount)', 'revenue')).toBe('entity.name.function.metric.mplan');
        expect(scopeOf('audience at_risk and not reachable', 'and')).toBe('keyword.operator.logical.mplan');
        expect(scopeOf('objective retention', 'retention')).toBe('constant.language.objective.mplan');
        expect(scopeOf('audience everyone', 'everyone')).toBe('constant.language.everyone.mplan');
    });

    it('scopes tiers, their tiers, where, within, otherwise and limit (issue 10)', () => {
        expect(scopeOf('  tiers value_tier "Value tiers" {', 'tiers')).toBe('storage.type.tiers.mplan');
        expect(scopeOf('  tiers value_tier "Value tiers" {', 'value_tier')).toBe('entity.name.type.tiers.mplan');
        // A tier's name at the start of its line, even one that spells a keyword (`value`).
        expect(scopeOf('    gold = usage.r >= 4', 'gold')).toBe('entity.name.type.tier.mplan');
        expect(scopeOf('    value = usage.m >= 4', 'value')).toBe('entity.name.type.tier.mplan');
        expect(scopeOf('    lost = otherwise', 'otherwise')).toBe('constant.language.otherwise.mplan');
        const filter = '    count(responses where category = "music" within 365 days) >= 1';
        expect(scopeOf(filter, 'count')).toBe('support.function.mplan');
        expect(scopeOf(filter, 'where')).toBe('keyword.other.mplan');
        expect(scopeOf(filter, 'within')).toBe('keyword.other.mplan');
        expect(scopeOf(filter, 'days')).toBe('keyword.other.mplan');
        expect(scopeOf(filter, '= "music"')).toBe('keyword.operator.comparison.mplan');
        expect(scopeOf('    limit 20000 by usage.m + usage.f', 'limit')).toBe('keyword.other.statement.mplan');
        expect(scopeOf('    limit 20000 by usage.m + usage.f', 'by')).toBe('keyword.other.mplan');
        expect(scopeOf('    audience music_fans and not value_tier.lost', 'value_tier')).toBe('variable.other.object.mplan');
        expect(scopeOf('    audience music_fans and not value_tier.lost', 'lost')).toBe('variable.other.property.mplan');
        // A wrapped condition's continuation line holds no tier.
        expect(scopeOf('    and shoppers.region = "north"', 'and')).toBe('keyword.operator.logical.mplan');
        expect(scopeOf('    and shoppers.region = "north"', 'shoppers')).toBe('variable.other.object.mplan');
    });

    it('scopes clv and attitude models, their settings, scores, best of and uplift (issue 11)', () => {
        expect(scopeOf('  clv value from purchases {', 'clv')).toBe('storage.type.model.mplan');
        // A model named with a keyword (`value`) is the model's name.
        expect(scopeOf('  clv value from purchases {', 'value')).toBe('entity.name.type.model.mplan');
        expect(scopeOf('  attitude prefs from contacts {', 'attitude')).toBe('storage.type.model.mplan');
        expect(scopeOf('  attitude prefs from contacts {', 'prefs')).toBe('entity.name.type.model.mplan');
        expect(scopeOf('    model bgnbd   // the default', 'model')).toBe('keyword.other.statement.mplan');
        expect(scopeOf('    model bgnbd   // the default', 'bgnbd')).toBe('constant.language.model.mplan');
        expect(scopeOf('    model paretonbd', 'paretonbd')).toBe('constant.language.model.mplan');
        for (const [line, word] of [['    period week', 'period'], ['    calibration 1997-01-01 to 1997-09-30', 'calibration'], ['    horizon 52 weeks', 'horizon'],
            ['    discount 10% per year', 'discount'], ['    response responded', 'response'], ['    half life 180 days', 'half'], ['    half life 180 days', 'life'],
            ['    prior 5 contacts', 'prior'], ['    uplift by value.clv', 'uplift']]) {
            expect(scopeOf(line, word), word).toBe('keyword.other.statement.mplan');
        }
        for (const [line, word] of [['    period week', 'week'], ['    horizon 52 weeks', 'weeks'], ['    horizon 3 months', 'months'], ['    period month', 'month'],
            ['    discount 10% per year', 'year'], ['    prior 5 contacts', 'contacts'], ['    by channel, offer', 'by']]) {
            expect(scopeOf(line, word), word).toBe('keyword.other.mplan');
        }
        expect(scopeOf('    calibration 1997-01-01 to 1997-09-30', '1997-09-30')).toBe('constant.other.date.mplan');
        // Scores after a dot are properties, whatever keyword they spell (`value.clv`).
        const segment = '  segment fading = value.alive < 30% and value.clv >= 50';
        expect(scopeOf(segment, 'value')).toBe('variable.other.object.mplan');
        expect(scopeOf(segment, 'alive')).toBe('variable.other.property.mplan');
        expect(scopeOf(segment, 'clv >=')).toBe('variable.other.property.mplan');
        const sms = '  segment sms_people = prefs.channel("sms") >= 60';
        expect(scopeOf(sms, 'channel')).toBe('variable.other.property.mplan');
        expect(scopeOf(sms, 'sms"')).toMatch(/^string\.quoted/);
        const best = '    channel best of [email, sms, phone] by prefs.channel   // each customer';
        expect(scopeOf(best, 'channel')).toBe('storage.type.channel.mplan');
        expect(scopeOf(best, 'best')).toBe('keyword.other.mplan');
        expect(scopeOf(best, 'of')).toBe('keyword.other.mplan');
        expect(scopeOf(best, 'email')).toBe('variable.other.mplan');
        expect(scopeOf(best, 'by')).toBe('keyword.other.mplan');
        expect(scopeOf(best, 'prefs')).toBe('variable.other.object.mplan');
    });

    it('tokenizes every example plan without leaving a keyword unscoped', () => {
        const spec = (file: string) => [`../shared/spec/${file}`, `../shared/spec-next/${file}`].find(p => fs.existsSync(path.join(root, p)))!;
        const plans = ['examples/retention/winback.mplan', 'examples/activation/welcome.mplan', 'examples/shared/channels.mplan', spec('behaviour.mplan'), spec('value.mplan')];
        const words = new Set(langiumKeywords().filter(k => /^\w+$/.test(k)));
        for (const plan of plans) {
            let state = vsctm.INITIAL;
            for (const line of fs.readFileSync(path.join(root, plan), 'utf8').split('\n')) {
                const result = grammar.tokenizeLine(line, state);
                state = result.ruleStack;
                for (const t of result.tokens) {
                    const text = line.slice(t.startIndex, t.endIndex);
                    const scope = t.scopes.at(-1)!;
                    if (words.has(text) && scope === 'variable.other.mplan') throw new Error(`${plan}: keyword '${text}' in "${line.trim()}" is scoped ${scope}`);
                }
            }
        }
        expect(tokenize('plan "x" {').length).toBeGreaterThan(2);
    });
});
