// The parser is recursive descent: an expression nested in some hundred parentheses (or a long run of `not`s)
// overflows the call stack. Uncaught, that RangeError ends the language server, and the editor loses every feature
// for every file. Here it becomes a syntax error on an empty tree, and the parser is left ready for the next text.
import type { AstNode, LangiumCoreServices, LangiumParser, ParseResult, ParserOptions } from 'langium';
import { createLangiumParser } from 'langium';

type ParserError = ParseResult['parserErrors'][number];

export const TOO_DEEP_MESSAGE = 'This text nests too deeply to be read (hundreds of parentheses or `not`s inside each other).';

export function createRobustParser(services: LangiumCoreServices): LangiumParser {
    const parser = createLangiumParser(services);
    const parse = parser.parse.bind(parser);
    parser.parse = <T extends AstNode = AstNode>(input: string, options?: ParserOptions): ParseResult<T> => {
        try {
            return parse<T>(input, options);
        } catch (error) {
            if (!(error instanceof RangeError)) throw error;
            // An abandoned parse leaves its half-built nodes on the parser's stack; the next parse must start clean.
            (parser as unknown as { stack: unknown[] }).stack = [];
            const empty = parse<T>('', options);
            empty.parserErrors.push(tooDeep(input));
            return empty;
        }
    };
    return parser;
}

/** A parser error on the first line of the text. */
function tooDeep(input: string): ParserError {
    const firstLine = input.split(/\r?\n/, 1)[0];
    const token = {
        image: firstLine, startOffset: 0, endOffset: Math.max(0, firstLine.length - 1),
        startLine: 1, startColumn: 1, endLine: 1, endColumn: Math.max(1, firstLine.length),
        tokenTypeIdx: 0, tokenType: { name: 'TooDeep', PATTERN: undefined }
    } as unknown as ParserError['token'];
    return { name: 'TooDeepException', message: TOO_DEEP_MESSAGE, token, resyncedTokens: [], context: { ruleStack: [], ruleOccurrenceStack: [] } };
}
