// Two guards around the generated parser, so that one mistake gives one error and the rest of the file still means
// what it says.
//
// Misspelt keywords: after a syntax error Chevrotain re-synchronises by skipping tokens, so `segmnet old = ...` in a
// plan lost everything up to the next statement, and `age: nubmer` made `age` an untyped column and the next
// column vanish: errors about names that are perfectly declared. When the error message provider finds that a word
// is a typo of a keyword that fits there (parser-messages.ts), the text is parsed again with that word read as the
// keyword. The error stays (with its "did you mean"), and the tree is the one the user meant.
//
// Nesting: the parser is recursive descent, so an expression nested in some dozens of parentheses (or a long run of
// `not`s) overflows the call stack. Uncaught, that RangeError ends the language server, and the editor loses every
// feature for every file. Here it becomes a syntax error on the line where the nesting gets too deep, and the rest
// of the file is parsed without the over-deep part.
import type { IToken, TokenType } from 'chevrotain';
import type { AstNode, LangiumCoreServices, LangiumParser, Lexer, LexerResult, ParseResult, ParserOptions } from 'langium';
import { CstUtils, createLangiumParser, isLeafCstNode } from 'langium';
import { MplanParserErrorMessageProvider } from './parser-messages.js';

type ParserError = ParseResult['parserErrors'][number];

export const TOO_DEEP_MESSAGE = 'This expression nests too deeply to be read (dozens of parentheses, `not`s or `-`s inside each other).';

/** Deeper than this, the over-deep part of an expression is left out of the second parse (it overflowed at ~70). */
const NESTING_KEPT = 24;
/** Re-parses with repaired keywords: each round may uncover the next misspelling hidden behind the last. */
const REPAIR_ROUNDS = 4;

interface Repair {
    keyword: TokenType;
    error: ParserError;
}

export function createRobustParser(services: LangiumCoreServices): LangiumParser {
    const parser = createLangiumParser(services);
    const internals = parser as unknown as { stack: unknown[]; lexer: Lexer };
    const lexer = internals.lexer;
    const parse = parser.parse.bind(parser);
    const messages = services.parser.ParserErrorMessageProvider;
    // The lexer's own token types: their indices are what the parser matches.
    const keywordTypes = new Map(Object.values(lexer.definition).map(t => [t.name, t]));

    /** Parses with some tokens changed (keywords read for misspelt words) or some text blanked out. */
    const parseWith = <T extends AstNode>(input: string, options: ParserOptions | undefined, repairs: Map<number, Repair>): ParseResult<T> => {
        if (repairs.size === 0) return parse<T>(input, options);
        internals.lexer = Object.assign(Object.create(lexer) as Lexer, {
            tokenize: (text: string, tokenizeOptions?: Parameters<Lexer['tokenize']>[1]): LexerResult => {
                const result = lexer.tokenize(text, tokenizeOptions);
                result.tokens = result.tokens.map(token => {
                    const repair = repairs.get(token.startOffset);
                    return repair ? { ...token, image: repair.keyword.name, tokenType: repair.keyword, tokenTypeIdx: repair.keyword.tokenTypeIdx! } : token;
                });
                return result;
            }
        });
        try {
            const result = parse<T>(input, options);
            // The tree's leaf keeps the misspelt word's own length, so positions in the text stay right.
            const root = result.value.$cstNode;
            if (root) {
                for (const leaf of CstUtils.streamCst(root)) {
                    const repair = repairs.get(leaf.offset);
                    if (repair && isLeafCstNode(leaf)) (leaf as unknown as { _length: number })._length = repair.error.token.image.length;
                }
            }
            return result;
        } finally {
            internals.lexer = lexer;
        }
    };

    const parseRepairing = <T extends AstNode>(input: string, options?: ParserOptions): ParseResult<T> => {
        const repairs = new Map<number, Repair>();
        let result = parse<T>(input, options);
        for (let round = 0; round < REPAIR_ROUNDS && messages instanceof MplanParserErrorMessageProvider; round++) {
            let found = false;
            for (const error of result.parserErrors) {
                const keyword = messages.suggestions.get(error.token);
                const type = keyword === undefined ? undefined : keywordTypes.get(keyword);
                if (type && !repairs.has(error.token.startOffset)) {
                    repairs.set(error.token.startOffset, { keyword: type, error });
                    found = true;
                }
            }
            if (!found) break;
            result = parseWith<T>(input, options, repairs);
        }
        if (repairs.size > 0) {
            const repaired = [...repairs.values()].map(r => r.error);
            const rest = result.parserErrors.filter(e => !repairs.has(e.token.startOffset));
            result.parserErrors = [...repaired, ...rest].sort((a, b) => a.token.startOffset - b.token.startOffset);
        }
        return result;
    };

    parser.parse = <T extends AstNode = AstNode>(input: string, options?: ParserOptions): ParseResult<T> => {
        try {
            return parseRepairing<T>(input, options);
        } catch (error) {
            if (!(error instanceof RangeError)) throw error;
            // An abandoned parse leaves its half-built nodes on the parser's stack; the next parse must start clean.
            internals.stack = [];
            const deep = tooDeep(lexer.tokenize(input).tokens);
            let result: ParseResult<T>;
            try {
                result = parseRepairing<T>(blank(input, deep.blanked), options);
            } catch (again) {
                if (!(again instanceof RangeError)) throw again;
                internals.stack = [];
                result = parse<T>('', options);
            }
            // An error at the edge of the left-out text only echoes the one about the nesting.
            result.parserErrors = result.parserErrors.filter(e => !deep.blanked.some(([start, end]) => e.token.startOffset >= start && e.token.startOffset <= end));
            result.parserErrors.push(deep.error);
            return result;
        }
    };
    return parser;
}

/** Spaces for the given ranges of the text (line breaks kept, so every position after them stays where it was). */
function blank(input: string, ranges: Array<[number, number]>): string {
    let out = input;
    for (const [start, end] of ranges) out = out.slice(0, start) + out.slice(start, end).replace(/[^\r\n]/g, ' ') + out.slice(end);
    return out;
}

/**
 * Where the nesting gets too deep: the error on the first token beyond NESTING_KEPT levels (parentheses, plus runs of
 * `not` and `-`), and the ranges of text nested deeper than that.
 */
function tooDeep(tokens: IToken[]): { error: ParserError; blanked: Array<[number, number]> } {
    let parens = 0;
    let prefix = 0;
    let first: IToken | undefined;
    const blanked: Array<[number, number]> = [];
    let start: number | undefined;
    for (const token of tokens) {
        const image = token.image;
        if (image === '(') parens++;
        if (image === 'not' || image === '-') prefix++;
        else if (image !== '(') prefix = 0;
        const depth = parens + prefix;
        if (depth > NESTING_KEPT) {
            first ??= token;
            start ??= token.startOffset;
        } else if (start !== undefined) {
            blanked.push([start, token.startOffset]);
            start = undefined;
        }
        if (image === ')') parens = Math.max(0, parens - 1);
        if (start !== undefined && image === ')' && parens + prefix <= NESTING_KEPT) {
            blanked.push([start, token.endOffset! + 1]);
            start = undefined;
        }
    }
    if (start !== undefined) blanked.push([start, tokens[tokens.length - 1].endOffset! + 1]);
    const at = first ?? tokens[0];
    const token = {
        ...(at ?? { image: '', startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }),
        tokenTypeIdx: 0, tokenType: { name: 'TooDeep', PATTERN: undefined }
    } as unknown as ParserError['token'];
    const error = { name: 'TooDeepException', message: TOO_DEEP_MESSAGE, token, resyncedTokens: [], context: { ruleStack: [], ruleOccurrenceStack: [] } } as ParserError;
    return { error, blanked };
}
