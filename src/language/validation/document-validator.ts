// Gives parser and linker diagnostics stable codes, and makes an unresolved name suggest the closest one in scope.
import type { LangiumDocument, ParseResult, ReferenceInfo } from 'langium';
import { DefaultDocumentValidator, type ValidationOptions } from 'langium';
import type { LangiumServices } from 'langium/lsp';
import type { Diagnostic } from 'vscode-languageserver-types';
import { AstUtils } from 'langium';
import { isCampaign, isGoalTarget, isMemberAccess, isNameReference, isRecordedGroups } from '../generated/ast.js';
import { settingEvents } from '../mplan-scope.js';
import { closestName } from './suggest.js';

export interface UnresolvedReferenceData {
    code: 'unresolved-reference';
    refText: string;
    /** The closest name in scope, for the "did you mean" quick fix. */
    suggestion?: string;
    /** What the name should have been: a Metric, a Segment, ... */
    expectedType: string;
}

export class MplanDocumentValidator extends DefaultDocumentValidator {
    protected readonly services: LangiumServices;

    constructor(services: LangiumServices) {
        super(services);
        this.services = services;
    }

    protected override processLexingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], options: ValidationOptions): void {
        const start = diagnostics.length;
        super.processLexingErrors(parseResult, diagnostics, options);
        for (const d of diagnostics.slice(start)) {
            d.code = 'syntax-error';
            d.message = `Unexpected character: ${d.message.replace(/^unexpected character: ->(.*)<- at offset: \d+,.*$/s, "'$1'")}`;
        }
    }

    protected override processParsingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], options: ValidationOptions): void {
        const start = diagnostics.length;
        super.processParsingErrors(parseResult, diagnostics, options);
        for (const d of diagnostics.slice(start)) d.code = 'syntax-error';
    }

    protected override processLinkingErrors(document: LangiumDocument, diagnostics: Diagnostic[], _options: ValidationOptions): void {
        for (const reference of document.references) {
            const error = reference.error;
            if (!error) continue;
            const info = error.info;
            if (followsUnresolved(info)) continue;
            const expectedType = this.services.shared.AstReflection.getReferenceType(info);
            const suggestion = this.suggest(info);
            const what = describeType(expectedType, info);
            let message = `Unknown ${what} '${info.reference.$refText}'.`;
            if (suggestion) message += ` Did you mean '${suggestion}'?`;
            const data: UnresolvedReferenceData = { code: 'unresolved-reference', refText: info.reference.$refText, suggestion, expectedType };
            diagnostics.push(this.toDiagnostic('error', message, {
                node: info.container,
                range: reference.$refNode?.range,
                property: info.property,
                index: info.index,
                code: 'unresolved-reference',
                data
            }));
        }
    }

    protected suggest(info: ReferenceInfo): string | undefined {
        try {
            const scope = this.services.references.ScopeProvider.getScope(info);
            const names = scope.getAllElements().map(d => d.name).toArray();
            return closestName(info.reference.$refText, names);
        } catch {
            return undefined;
        }
    }
}

/** A column after an unresolved source (`shopers.region`, `groups from shopers.x`, `rfm r from ordrs { monetary x }`,
 *  `attitude a from contcts { by channel }`): the source's own error says it all, so the column is not reported as well. */
function followsUnresolved(info: ReferenceInfo): boolean {
    const container = info.container;
    if (isMemberAccess(container) && info.property === 'member') {
        const receiver = container.receiver;
        if (isNameReference(receiver)) return receiver.target?.error !== undefined;
        if (isMemberAccess(receiver)) return receiver.member?.error !== undefined;
        return false;
    }
    if (isRecordedGroups(container) && info.property === 'column') return container.source?.error !== undefined;
    const events = settingEvents(container, info.property);
    if (events) return events.error !== undefined;
    // `for ARM` in a campaign without arms: goal-for-without-arms says so (with a fix), not an unknown name.
    if (isGoalTarget(container) && (info.property === 'arm' || info.property === 'versus')) {
        const campaign = AstUtils.getContainerOfType(container, isCampaign);
        return campaign !== undefined && !campaign.statements.some(s => s.$type === 'Arm');
    }
    return false;
}

function describeType(type: string, info: ReferenceInfo): string {
    if (info.property === 'member' || info.property === 'column') return 'column or score';
    if (info.property === 'columns') return 'column';
    switch (type) {
        case 'Metric': return 'metric';
        case 'Channel': return 'channel';
        case 'Arm': return 'arm of this campaign';
        case 'DataSource': return 'data source';
        case 'Referable': return 'name';
        default: return type.toLowerCase();
    }
}
