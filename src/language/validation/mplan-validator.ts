// The one validator: the language server and `mplan check` both run these checks. Each concern lives in its own
// file; this class only dispatches and supplies what needs the workspace (imports).
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import { AstUtils } from 'langium';
import type { Attitude, Campaign, Channel, Clv, DataSource, Metric, Model, MplanAstType, Plan, Rfm, Segment, Tiers } from '../generated/ast.js';
import { isMetric } from '../generated/ast.js';
import { transitiveImports } from '../imports.js';
import type { MplanServices } from '../mplan-module.js';
import { declarationsOf, modelOf } from '../semantics.js';
import { checkCampaign, checkOverlaps } from './campaign-checks.js';
import { checkMetric, checkSegment } from './expression-checks.js';
import { checkGoals } from './goal-checks.js';
import { checkChannel, checkDataSource, checkModel, checkPlan, checkRfm } from './plan-checks.js';
import { reporter } from './report.js';
import { checkTiers } from './tier-checks.js';
import { checkAttitude, checkClv } from './value-checks.js';

export function registerValidationChecks(services: MplanServices): void {
    const registry = services.validation.ValidationRegistry;
    const validator = services.validation.MplanValidator;
    const checks: ValidationChecks<MplanAstType> = {
        Model: (node, accept) => checkModel(node, reporter(accept)),
        Plan: (node, accept) => validator.checkPlan(node, accept),
        CustomersSource: (node, accept) => checkDataSource(node as DataSource, reporter(accept)),
        EventsSource: (node, accept) => checkDataSource(node as DataSource, reporter(accept)),
        Rfm: (node: Rfm, accept) => checkRfm(node, reporter(accept)),
        Clv: (node: Clv, accept) => checkClv(node, reporter(accept)),
        Attitude: (node: Attitude, accept) => checkAttitude(node, reporter(accept)),
        Segment: (node: Segment, accept) => checkSegment(node, reporter(accept)),
        Tiers: (node: Tiers, accept) => checkTiers(node, reporter(accept)),
        Channel: (node: Channel, accept) => checkChannel(node, reporter(accept)),
        Metric: (node: Metric, accept) => checkMetric(node, reporter(accept)),
        Campaign: (node, accept) => validator.checkCampaign(node, accept)
    };
    registry.register(checks, validator);
    registry.registerBeforeDocument(() => validator.startDocument());
}

export class MplanValidator {
    /** Whether `revenue` is in scope for the document being validated; computed at most once per document. */
    private revenueInScope: boolean | undefined;

    constructor(protected readonly services: MplanServices) {}

    startDocument(): void {
        this.revenueInScope = undefined;
    }

    checkPlan(plan: Plan, accept: ValidationAcceptor): void {
        const report = reporter(accept);
        checkPlan(plan, report);
        checkOverlaps(plan, report);
    }

    checkCampaign(campaign: Campaign, accept: ValidationAcceptor): void {
        const report = reporter(accept);
        checkCampaign(campaign, report);
        this.revenueInScope ??= this.hasMetricNamed(modelOf(campaign), 'revenue');
        const revenueMetric = this.revenueInScope ? this.metricNamed(modelOf(campaign), 'revenue') : undefined;
        checkGoals(campaign, { hasRevenueMetric: this.revenueInScope, revenueMetric }, report);
    }

    /** The metric of this name declared in the file, or in a loaded file it imports. */
    protected metricNamed(model: Model, name: string): Metric | undefined {
        const local = declarationsOf(model).find((d): d is Metric => isMetric(d) && d.name === name);
        if (local) return local;
        const uris = transitiveImports(AstUtils.getDocument(model), this.services.shared.workspace.LangiumDocuments);
        const description = this.services.shared.workspace.IndexManager.allElements('Metric', uris).find(d => d.name === name);
        const node = description?.node;
        return isMetric(node) ? node : undefined;
    }

    /** Whether a metric of this name is declared in the file or in a file it imports. */
    protected hasMetricNamed(model: Model, name: string): boolean {
        if (declarationsOf(model).some(d => isMetric(d) && d.name === name)) return true;
        const document = AstUtils.getDocument(model);
        const uris = transitiveImports(document, this.services.shared.workspace.LangiumDocuments);
        if (uris.size === 0) return false;
        return this.services.shared.workspace.IndexManager.allElements('Metric', uris).some(d => d.name === name);
    }
}
