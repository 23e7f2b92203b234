// Scoping: what a name can refer to.
// - Plain names see the plan's own declarations, then those of imported files (never the whole workspace).
// - After a dot, the members of what stands before it: a source's columns, an RFM model's scores r, f and m, a CLV
//   model's scores alive, purchases, spend and clv, the tiers of a tiers declaration, and the columns of an attitude's
//   events (which `attitude-score` then holds to its `by` columns).
// - The columns a model's settings name (`monetary`, `response`, `by`) are columns of the model's events.
// - Inside an aggregate's `where`, a bare name is first a column of the aggregated events (`category = "music"` in
//   `count(responses where category = "music")`), then as usual.
import type { AstNode, AstNodeDescription, LangiumDocument, LangiumDocuments, ReferenceInfo, Scope } from 'langium';
import { AstUtils, DefaultScopeComputation, DefaultScopeProvider, EMPTY_SCOPE, stream } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import type { LangiumServices } from 'langium/lsp';
import type { Reference } from 'langium';
import type { Aggregate, Attitude, Clv, DataSource, Model, Rfm, Tiers } from './generated/ast.js';
import {
    isAggregate, isAttitude, isAttitudeBy, isAttitudeResponse, isClv, isClvMonetary, isDataSource, isDeclaration, isEventsSource,
    isCustomersSource, isMemberAccess, isNameReference, isRecordedGroups, isRfm, isRfmMonetary, isTiers
} from './generated/ast.js';
import { transitiveImports } from './imports.js';

export const RFM_SCORES = ['r', 'f', 'm'] as const;
/** The scores of a CLV model: P(alive), expected purchases and spend per purchase, and the discounted value. */
export const CLV_SCORES = ['alive', 'purchases', 'spend', 'clv'] as const;
export type ClvScore = typeof CLV_SCORES[number];

export function isClvScore(name: string | undefined): name is ClvScore {
    return (CLV_SCORES as readonly string[]).includes(name ?? '');
}

/**
 * The events reference of the model whose setting names a column of them: `monetary` of an RFM or CLV model,
 * `response` and `by` of an attitude. Undefined for any other reference.
 */
export function settingEvents(container: AstNode, property: string): Reference<DataSource> | undefined {
    if ((isRfmMonetary(container) || isClvMonetary(container) || isAttitudeResponse(container)) && property === 'column') return container.$container.events;
    if (isAttitudeBy(container) && property === 'columns') return container.$container.events;
    return undefined;
}

/** Exports every declaration of a file, inside or outside its `plan` block, so importers can use them. */
export class MplanScopeComputation extends DefaultScopeComputation {
    override async collectExportedSymbols(document: LangiumDocument, _cancelToken?: CancellationToken): Promise<AstNodeDescription[]> {
        const model = document.parseResult.value as Model;
        const exported: AstNodeDescription[] = [];
        const declarations = [...model.declarations, ...model.plans.flatMap(p => p.declarations)];
        for (const declaration of declarations) {
            if (isDeclaration(declaration) && typeof declaration.name === 'string' && declaration.name.length > 0) {
                exported.push(this.descriptions.createDescription(declaration, declaration.name, document));
            }
        }
        return exported;
    }
}

/** The implied columns of a source: key, customer and time columns named but not declared in its block. */
export function impliedColumns(source: DataSource): Array<{ name: string; type: 'text' | 'date' }> {
    const declared = new Set(source.columns.map(c => c.name));
    const implied: Array<{ name: string; type: 'text' | 'date' }> = [];
    const add = (name: string | undefined, type: 'text' | 'date') => {
        if (name && !declared.has(name) && !implied.some(i => i.name === name)) implied.push({ name, type });
    };
    if (isCustomersSource(source)) add(source.key, 'text');
    if (isEventsSource(source)) {
        add(source.customer, 'text');
        add(source.time, 'date');
    }
    return implied;
}

export class MplanScopeProvider extends DefaultScopeProvider {
    protected readonly documents: LangiumDocuments;

    constructor(services: LangiumServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    override getScope(context: ReferenceInfo): Scope {
        const container = context.container;
        if (isMemberAccess(container) && context.property === 'member') {
            return this.memberScope(resolveReceiver(container.receiver));
        }
        if (isRecordedGroups(container) && context.property === 'column') {
            return this.memberScope(container.source?.ref);
        }
        const events = settingEvents(container, context.property);
        if (events) return this.memberScope(events.ref);
        if (isNameReference(container) && context.property === 'target') {
            const aggregate = enclosingFilter(container);
            const source = aggregate && filteredSource(aggregate);
            if (source) return this.memberScope(source, super.getScope(context));
        }
        return super.getScope(context);
    }

    /**
     * The members after a dot: columns of a source (declared and implied), the scores of an RFM or CLV model, the tiers
     * of a tiers declaration, or the columns of an attitude's events. `outer` is looked at for names that are none of
     * these.
     */
    protected memberScope(target: AstNode | undefined, outer?: Scope): Scope {
        if (isDataSource(target)) {
            const document = AstUtils.getDocument(target);
            const declared = target.columns
                .filter(c => typeof c.name === 'string')
                .map(c => this.descriptions.createDescription(c, c.name, document));
            const implied = impliedColumns(target).map(i => this.descriptions.createDescription(target, i.name, document));
            return this.createScope(stream(declared, implied), outer);
        }
        if (isRfm(target)) {
            const document = AstUtils.getDocument(target);
            return this.createScope(RFM_SCORES.map(score => this.descriptions.createDescription(target, score, document)), outer);
        }
        if (isClv(target)) {
            const document = AstUtils.getDocument(target);
            return this.createScope(CLV_SCORES.map(score => this.descriptions.createDescription(target, score, document)), outer);
        }
        if (isAttitude(target)) return this.memberScope(target.events?.ref, outer);
        if (isTiers(target)) {
            const document = AstUtils.getDocument(target);
            const tiers = target.tiers.filter(t => typeof t.name === 'string' && t.name.length > 0);
            return this.createScope(tiers.map(t => this.descriptions.createDescription(t, t.name, document)), outer);
        }
        return outer ?? EMPTY_SCOPE;
    }

    /**
     * Beyond the enclosing blocks, names come from the file itself (one namespace, inside or outside its plan block)
     * and from the files it imports, directly or through other imports; never from the rest of the workspace.
     */
    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const document = AstUtils.getDocument(context.container);
        const uris = transitiveImports(document, this.documents);
        uris.add(document.uri.toString());
        return this.createScope(this.indexManager.allElements(referenceType, uris));
    }
}

/** What the expression before a dot stands for, when it names a source, an RFM, CLV or attitude model or a tiers declaration. */
export function resolveReceiver(receiver: AstNode | undefined): DataSource | Rfm | Clv | Attitude | Tiers | undefined {
    if (isNameReference(receiver)) {
        const target = receiver.target?.ref;
        if (isDataSource(target) || isRfm(target) || isClv(target) || isAttitude(target) || isTiers(target)) return target;
    }
    return undefined;
}

/**
 * The aggregate whose `where` filter holds `node` (the nearest one), if any. Inside a filter, bare names are the
 * columns of the aggregated events (`count(responses where category = "music")`).
 */
export function enclosingFilter(node: AstNode | undefined): Aggregate | undefined {
    if (!node) return undefined;
    let child: AstNode = node;
    for (let current = node.$container; current; child = current, current = current.$container) {
        // `$containerProperty` also places the synthetic node completion makes for a name still to be typed.
        if (isAggregate(current) && (current.filter === child || child.$containerProperty === 'filter')) return current;
    }
    return undefined;
}

/** The source whose events an aggregate reads, from its argument (`E` or `E.col`), resolved without its filter. */
function filteredSource(aggregate: Aggregate): DataSource | undefined {
    const argument = aggregate.argument;
    const receiver = isMemberAccess(argument) ? argument.receiver : argument;
    if (!isNameReference(receiver)) return undefined;
    const target = receiver.target?.ref;
    return isDataSource(target) ? target : undefined;
}
