// Scoping: what a name can refer to.
// - Plain names see the plan's own declarations, then those of imported files (never the whole workspace).
// - After a dot, the members of what stands before it: a source's columns, an RFM model's scores r, f and m, a CLV
//   model's scores alive, purchases, spend and clv, the tiers of a tiers declaration, and the columns of an attitude's
//   events (which `attitude-score` then holds to its `by` columns).
// - The columns a model's settings name (`monetary`, `response`, `by`) are columns of the model's events.
// - Inside an aggregate's `where`, a bare name is first a column of the aggregated events (`category = "music"` in
//   `count(responses where category = "music")`), then as usual.
import type { AstNode, AstNodeDescription, LangiumDocument, LangiumDocuments, ReferenceInfo, Scope } from 'langium';
import { AstUtils, DefaultScopeComputation, DefaultScopeProvider, EMPTY_SCOPE, MultiMapScope, WorkspaceCache } from 'langium';
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
    /**
     * The scopes of plain names, per document, enclosing node and reference type. Langium's default scans every symbol
     * of every enclosing block for each reference, so linking a plan took time in the square of its declarations; here
     * each level is a map, made once per build. Emptied whenever any document changes (an import may have).
     */
    private readonly plainScopes: WorkspaceCache<LangiumDocument, Map<AstNode | undefined, Map<string, Scope>>>;
    /** The members after a dot, per source, model or tiers declaration (made once per build, as above). */
    private readonly members: WorkspaceCache<AstNode, AstNodeDescription[] | undefined>;

    constructor(services: LangiumServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
        this.plainScopes = new WorkspaceCache(services.shared);
        this.members = new WorkspaceCache(services.shared);
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
            if (source) return this.memberScope(source, this.plainScope(context));
        }
        return this.plainScope(context);
    }

    /**
     * What a plain name can mean where it stands: the names declared in each enclosing block, nearest first (as
     * Langium's default: the first of a name wins), then the file's own declarations and those of the files it imports.
     */
    protected plainScope(context: ReferenceInfo): Scope {
        const document = AstUtils.getDocument(context.container);
        return this.levelScope(document, symbolLevel(document, context.container), this.reflection.getReferenceType(context), context);
    }

    /** The scope seen from inside `level` (a node with local symbols, or undefined for the file's global scope). */
    private levelScope(document: LangiumDocument, level: AstNode | undefined, referenceType: string, context: ReferenceInfo): Scope {
        const byLevel = this.plainScopes.get(document, () => new Map());
        let byType = byLevel.get(level);
        if (!byType) byLevel.set(level, byType = new Map());
        let scope = byType.get(referenceType);
        if (!scope) {
            if (level === undefined) {
                scope = this.getGlobalScope(referenceType, context);
            } else {
                const own = document.localSymbols!.getStream(level).filter(d => this.reflection.isSubtype(d.type, referenceType));
                scope = new MultiMapScope(own, this.levelScope(document, symbolLevel(document, level.$container), referenceType, context));
            }
            byType.set(referenceType, scope);
        }
        return scope;
    }

    /**
     * The members after a dot: columns of a source (declared and implied), the scores of an RFM or CLV model, the tiers
     * of a tiers declaration, or the columns of an attitude's events. `outer` is looked at for names that are none of
     * these.
     */
    protected memberScope(target: AstNode | undefined, outer?: Scope): Scope {
        if (isAttitude(target)) return this.memberScope(target.events?.ref, outer);
        const members = target && this.members.get(target, () => this.membersOf(target));
        if (!members) return outer ?? EMPTY_SCOPE;
        return new MultiMapScope(members, outer);
    }

    /** The members of a source, an RFM or CLV model or a tiers declaration; undefined for anything else. */
    private membersOf(target: AstNode): AstNodeDescription[] | undefined {
        const document = AstUtils.getDocument(target);
        if (isDataSource(target)) {
            const declared = target.columns
                .filter(c => typeof c.name === 'string')
                .map(c => this.descriptions.createDescription(c, c.name, document));
            const implied = impliedColumns(target).map(i => this.descriptions.createDescription(target, i.name, document));
            return [...declared, ...implied];
        }
        if (isRfm(target)) return RFM_SCORES.map(score => this.descriptions.createDescription(target, score, document));
        if (isClv(target)) return CLV_SCORES.map(score => this.descriptions.createDescription(target, score, document));
        if (isTiers(target)) {
            const tiers = target.tiers.filter(t => typeof t.name === 'string' && t.name.length > 0);
            return tiers.map(t => this.descriptions.createDescription(t, t.name, document));
        }
        return undefined;
    }

    /**
     * Beyond the enclosing blocks, names come from the file itself (one namespace, inside or outside its plan block)
     * and from the files it imports, directly or through other imports; never from the rest of the workspace.
     */
    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const document = AstUtils.getDocument(context.container);
        const uris = transitiveImports(document, this.documents);
        uris.add(document.uri.toString());
        return new MultiMapScope(this.indexManager.allElements(referenceType, uris));
    }
}

/** The node at or above `node` that declares local symbols (a level of plainScope), or undefined above them all. */
function symbolLevel(document: LangiumDocument, node: AstNode | undefined): AstNode | undefined {
    while (node && !document.localSymbols?.has(node)) node = node.$container;
    return node;
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
