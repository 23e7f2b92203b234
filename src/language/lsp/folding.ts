// Folding: the `{ ... }` blocks (plan, sources, RFM, CLV and attitude models, tiers, campaigns) and multi-line comments. Langium's default
// folds every node spanning three lines, which would also fold the inside of long expressions.
import type { AstNode } from 'langium';
import { DefaultFoldingRangeProvider } from 'langium/lsp';
import { isAttitude, isCampaign, isClv, isDataSource, isModel, isPlan, isRfm, isTiers } from '../generated/ast.js';

export class MplanFoldingRangeProvider extends DefaultFoldingRangeProvider {
    protected override shouldProcess(node: AstNode): boolean {
        return isPlan(node) || isDataSource(node) || isRfm(node) || isClv(node) || isAttitude(node) || isTiers(node) || isCampaign(node);
    }

    /** Blocks only nest inside the model and the plan. */
    protected override shouldProcessContent(node: AstNode): boolean {
        return isModel(node) || isPlan(node);
    }
}
