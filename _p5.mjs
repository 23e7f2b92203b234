import { createMplanServices } from '/work/main/out/language/mplan-module.js';
import { NodeFileSystem } from 'langium/node';
import { LeafCstNodeImpl } from 'langium';
import fs from 'node:fs';
const { Mplan } = createMplanServices(NodeFileSystem);
const parser = Mplan.parser.LangiumParser;
const text = fs.readFileSync('/tmp/prof/large.mplan', 'utf8');
const lazy = process.argv[2] === 'lazy';
if (lazy) {
  class LazyLeaf extends LeafCstNodeImpl {
    constructor(token, hidden) { super(token.startOffset, token.image.length, undefined, token.tokenType, hidden); this._sl = token.startLine; this._sc = token.startColumn; this._el = token.endLine; this._ec = token.endColumn; }
    get range() { return this._range ??= { start: { line: this._sl - 1, character: this._sc - 1 }, end: { line: this._el - 1, character: this._ec } }; }
  }
  const nb = parser.nodeBuilder;
  nb.buildLeafNode = function (token, feature) { const leaf = new LazyLeaf(token, !feature); leaf.grammarSource = feature; leaf.root = this.rootNode; this.current.content.push(leaf); return leaf; };
}
const times = [];
for (let i = 0; i < 12; i++) { const s = performance.now(); parser.parse(text); times.push(performance.now() - s); }
console.log(lazy ? 'lazy' : 'eager', 'first', times[0].toFixed(0), 'median rest', times.slice(1).sort((a, b) => a - b)[5].toFixed(0));
