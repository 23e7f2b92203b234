// Syntax errors in the words of the plan: "Unexpected `retension`: did you mean `retention`?" rather than Chevrotain's
// token sequences. A word that is a typo of a keyword the parser could have taken there gets a suggestion, which the
// robust parser (robust-parser.ts) also uses to read the rest of the file as if it had been spelt right.
import type { IToken, TokenType } from 'chevrotain';
import type { LangiumCoreServices } from 'langium';
import { GrammarAST, LangiumParserErrorMessageProvider } from 'langium';
import { closestName } from './validation/suggest.js';

const WORD = /^[a-z]+$/;

/** How a token type reads in a message: keywords in backticks, terminals by what they are. */
function describe(type: TokenType): string {
    switch (type.name) {
        case 'ID': return 'a name';
        case 'STRING': return 'a text in quotes';
        case 'NUMBER': return 'a number';
        case 'DATE': return 'a date (YYYY-MM-DD)';
        case 'EOF': return 'the end of the file';
        default: return `\`${type.name}\``;
    }
}

function found(token: IToken): string {
    return token.tokenType?.name === 'EOF' ? 'the end of the file' : `\`${token.image}\``;
}

function listOf(types: TokenType[]): string {
    const names = [...new Set(types.map(describe))];
    if (names.length === 1) return names[0];
    const shown = names.slice(0, 8);
    return `one of ${shown.join(', ')}${names.length > shown.length ? ', …' : ''}`;
}

export class MplanParserErrorMessageProvider extends LangiumParserErrorMessageProvider {
    /** The keyword a misspelt word most likely meant, by the word's token: read by the robust parser. */
    readonly suggestions = new WeakMap<IToken, string>();
    /** Per parser rule: the keywords that start its repeated statements (a plan's declarations, a campaign's statements). */
    private readonly statementKeywords: Map<string, string[]>;
    private readonly allKeywords: string[];

    constructor(services: LangiumCoreServices) {
        super();
        const grammar = services.Grammar;
        this.statementKeywords = new Map(grammar.rules.filter(GrammarAST.isParserRule).map(rule => [rule.name, [...statementStarts(rule)]]));
        this.allKeywords = [...new Set(grammar.rules.flatMap(rule => keywordsIn(rule)))].filter(k => WORD.test(k));
    }

    override buildMismatchTokenMessage({ expected, actual, ruleName }: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
        // A closing brace expected where a word stands: the word did not start a statement of this block.
        const candidates = [expected.name, ...(expected.name === '}' ? this.statementsOf(ruleName) : [])];
        return this.unexpected(actual, candidates) ?? `Expected ${describe(expected)} but found ${found(actual)}.`;
    }

    override buildNotAllInputParsedMessage({ firstRedundant, ruleName }: { firstRedundant: IToken; ruleName: string }): string {
        return this.unexpected(firstRedundant, this.statementsOf(ruleName))
            ?? `Expected a declaration or the end of the file but found ${found(firstRedundant)}.`;
    }

    override buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[]; previous: IToken; customUserDescription?: string; ruleName: string }): string {
        const first = expectedPathsPerAlt.flatMap(paths => paths.map(path => path[0])).filter(t => t !== undefined);
        return this.unexpected(actual[0], first.map(t => t.name), ruleName) ?? `Expected ${listOf(first)} but found ${found(actual[0])}.`;
    }

    override buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }: { expectedIterationPaths: TokenType[][]; actual: IToken[]; previous: IToken; customUserDescription?: string; ruleName: string }): string {
        const first = expectedIterationPaths.map(path => path[0]).filter(t => t !== undefined);
        return this.unexpected(actual[0], first.map(t => t.name), ruleName) ?? `Expected at least one of ${listOf(first)} but found ${found(actual[0])}.`;
    }

    private statementsOf(ruleName: string | undefined): string[] {
        return this.statementKeywords.get((ruleName ?? '').replace(/\u200B$/, '')) ?? [];
    }

    /**
     * "Unexpected `campain`: did you mean `campaign`?" when a name stands where a keyword was expected and is a typo
     * of one: first among the keywords that fit here, then among all keywords (a word misspelt before an optional
     * part, such as `custmer` after an events source, leaves the parser expecting the next statement instead).
     */
    private unexpected(token: IToken | undefined, expected: string[], ruleName?: string): string | undefined {
        if (!token || token.tokenType?.name !== 'ID') return undefined;
        const here = expected.filter(k => WORD.test(k));
        const context = ruleName ? this.statementsOf(ruleName) : [];
        const keyword = closestName(token.image, [...here, ...context]) ?? closestName(token.image, this.allKeywords);
        if (!keyword) return undefined;
        this.suggestions.set(token, keyword);
        const options = here.length > 1 && here.length <= 8 ? ` (expected one of ${here.map(k => `\`${k}\``).join(', ')})` : '';
        return `Unexpected \`${token.image}\`: did you mean \`${keyword}\`?${options}`;
    }
}

function keywordsIn(node: GrammarAST.AbstractRule): string[] {
    const out: string[] = [];
    const visit = (element: GrammarAST.AbstractElement | undefined) => {
        if (!element) return;
        if (GrammarAST.isKeyword(element)) out.push(element.value);
        else if (GrammarAST.isGroup(element) || GrammarAST.isAlternatives(element) || GrammarAST.isUnorderedGroup(element)) element.elements.forEach(visit);
        else if (GrammarAST.isAssignment(element)) visit(element.terminal);
    };
    if (GrammarAST.isParserRule(node)) visit(node.definition);
    return out;
}

/** The keywords that can start the repeated parts (`*`, `+`) of a rule. */
function statementStarts(rule: GrammarAST.ParserRule): Set<string> {
    const out = new Set<string>();
    const visit = (element: GrammarAST.AbstractElement) => {
        if (element.cardinality === '*' || element.cardinality === '+') {
            for (const k of firstKeywords(element, new Set())) out.add(k);
        }
        if (GrammarAST.isGroup(element) || GrammarAST.isAlternatives(element)) element.elements.forEach(visit);
    };
    visit(rule.definition);
    return out;
}

/** The keywords an element can start with (through rule calls; terminals start with no keyword). */
function firstKeywords(element: GrammarAST.AbstractElement, seen: Set<GrammarAST.AbstractRule>): Set<string> {
    const out = new Set<string>();
    const add = (set: Set<string>) => set.forEach(k => out.add(k));
    if (GrammarAST.isKeyword(element)) {
        out.add(element.value);
    } else if (GrammarAST.isAssignment(element)) {
        add(firstKeywords(element.terminal, seen));
    } else if (GrammarAST.isRuleCall(element)) {
        const rule = element.rule.ref;
        if (rule && GrammarAST.isParserRule(rule) && !seen.has(rule)) {
            seen.add(rule);
            add(firstKeywords(rule.definition, seen));
        }
    } else if (GrammarAST.isAlternatives(element)) {
        element.elements.forEach(e => add(firstKeywords(e, seen)));
    } else if (GrammarAST.isGroup(element)) {
        for (const e of element.elements) {
            add(firstKeywords(e, seen));
            // Actions and optional parts let the next element start the group too.
            if (!(GrammarAST.isAction(e) || e.cardinality === '?' || e.cardinality === '*')) break;
        }
    }
    return out;
}
