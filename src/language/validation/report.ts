// Every diagnostic goes through `report`, so each carries its stable code both as `code` and as `data.code`
// (the LSP's code actions read the latter).
import type { AstNode, DiagnosticInfo, ValidationAcceptor, ValidationSeverity } from 'langium';
import type { DiagnosticCode } from './diagnostic-codes.js';

export type Report = <N extends AstNode>(
    severity: ValidationSeverity,
    code: DiagnosticCode,
    message: string,
    info: Omit<DiagnosticInfo<N>, 'code'> & { data?: Record<string, unknown> }
) => void;

export function reporter(accept: ValidationAcceptor): Report {
    return (severity, code, message, info) => {
        accept(severity, message, { ...info, code, data: { ...(info.data ?? {}), code } } as DiagnosticInfo<AstNode>);
    };
}
