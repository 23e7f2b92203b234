// Checks of a `tiers` declaration: tier names, `otherwise` (last, and present), each tier's condition, cycles through
// segments and tiers, and tiers that can never match because the tiers above them take every customer they select
// (first match wins). That last check says something only when condition-logic.ts can prove it.
import type { Tiers } from '../generated/ast.js';
import { lineOf } from '../semantics.js';
import { and, formulaOf, not, unsatisfiable, type Formula } from './condition-logic.js';
import { checkCondition, reportConditionCycle } from './expression-checks.js';
import type { Report } from './report.js';

export function checkTiers(tiers: Tiers, report: Report): void {
    const seen = new Map<string, number>();
    for (const tier of tiers.tiers) {
        if (typeof tier.name !== 'string' || tier.name.length === 0) continue;
        const first = seen.get(tier.name);
        if (first !== undefined) {
            report('error', 'duplicate-name', `Tiers '${tiers.name}' already has a tier named '${tier.name}' (line ${first}).`, { node: tier, property: 'name' });
        } else {
            seen.set(tier.name, lineOf(tier));
        }
        if (!tier.otherwise) checkCondition(tier.condition, report);
    }
    const last = tiers.tiers[tiers.tiers.length - 1];
    for (const tier of tiers.tiers) {
        if (tier.otherwise && tier !== last) {
            report('error', 'tier-otherwise-not-last', `\`otherwise\` takes every customer the tiers above it leave, so the tiers below it ('${tiers.tiers.slice(tiers.tiers.indexOf(tier) + 1).map(t => t.name).join("', '")}') would never match: make '${tier.name}' the last tier.`, { node: tier, property: 'otherwise' });
        }
    }
    if (!tiers.tiers.some(t => t.otherwise)) {
        report('warning', 'tiers-no-otherwise', `Tiers '${tiers.name}' has no \`otherwise\`, so customers no tier matches are in none of them (the runner reports how many): add a last tier such as \`rest = otherwise\`.`, { node: tiers, property: 'name' });
    }
    reportConditionCycle(tiers, report);
    checkReachable(tiers, report);
}

/** A tier whose condition, given that no tier above it matched, holds for nobody. */
function checkReachable(tiers: Tiers, report: Report): void {
    const above: Array<{ name: string; formula: Formula }> = [];
    for (const tier of tiers.tiers) {
        // Tiers below a misplaced `otherwise` are tier-otherwise-not-last's concern.
        if (tier.otherwise) return;
        const formula = formulaOf(tier.condition);
        if (!formula) return;
        if (unsatisfiable(formula)) {
            report('warning', 'tier-unreachable', `Tier '${tier.name}' can never match: its condition holds for no customer.`, { node: tier, property: 'name' });
        } else if (above.length > 0 && unsatisfiable(and(formula, ...above.map(a => not(a.formula))))) {
            // Name the one tier above that takes all of them, when there is one.
            const one = above.find(a => unsatisfiable(and(formula, not(a.formula))));
            const by = one ? `tier '${one.name}' above it already takes` : `the tiers above it (${above.map(a => `'${a.name}'`).join(', ')}) already take`;
            report('warning', 'tier-unreachable', `Tier '${tier.name}' can never match: ${by} every customer it selects, and the first tier that matches wins. Reorder the tiers or narrow the ones above.`, { node: tier, property: 'name' });
        }
        above.push({ name: tier.name, formula });
    }
}
