// Every diagnostic mplan reports has a stable code. The README lists them; a test keeps the two in step.
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export const DIAGNOSTIC_CODES = {
    // Reading the file
    'syntax-error': 'The text does not follow the grammar (a missing brace, a misspelt keyword).',
    'file-unreadable': 'The file is missing, unreadable, binary, or larger than the 5 MB limit.',
    'unresolved-reference': 'A name that resolves to nothing in scope; the message suggests the closest name.',
    'import-not-found': 'An `import` names a file that does not exist.',
    'import-self': 'A file imports itself.',
    // Plan structure
    'plan-missing-objective': 'A plan needs an `objective` so goals can be judged relevant.',
    'plan-multiple': 'One file holds at most one `plan` block.',
    'plan-duplicate-setting': 'An `objective`, `owner` or `currency` given twice.',
    'currency-code': 'A currency should be an ISO 4217 code such as USD or EUR.',
    'duplicate-name': 'Two declarations (or two columns of one source) share a name.',
    'duplicate-statement': 'A campaign or RFM statement that may appear once appears twice.',
    'data-file-missing': 'A data file that does not exist (a warning: plans may be reviewed without their data).',
    'data-file-format': 'A data file whose extension is not .csv, .tsv, .parquet, .json or .jsonl (or .ndjson).',
    'events-missing-customer': 'An events source needs `customer COLUMN` to tie events to customers.',
    'events-missing-time': 'An events source needs `time COLUMN` to place events in the attribution window.',
    'key-column-type': 'A key, customer or time column declared with an unsuitable type.',
    // Models and segments
    'rfm-needs-events': 'An RFM model is computed from an events source.',
    'rfm-missing-monetary': 'An RFM model needs `monetary COLUMN`.',
    'rfm-monetary-type': 'The monetary column of an RFM model must be a number.',
    'rfm-bins-range': 'RFM bins must be a whole number from 2 to 10.',
    'type-mismatch': 'An expression combines values of types that do not fit (a date compared with a number).',
    'not-a-condition': 'A segment or audience must be a true/false condition.',
    'not-a-value': 'A name that is not a value (a channel, a source or an RFM model without a score) used in an expression.',
    'events-outside-aggregate': 'A column of an events source used per customer without an aggregate such as sum(...).',
    'aggregate-argument': 'An aggregate needs an events source (any, count) or a number column of one (sum, mean, min, max).',
    'aggregate-in-condition': 'Segments and audiences select on customer columns, RFM scores and segments; aggregates belong in metrics.',
    'segment-cycle': 'Segments or metrics that refer to themselves, directly or through others.',
    // Channels and metrics
    'channel-cost': 'A channel cost or capacity that is negative or zero capacity.',
    'channel-no-cost': 'A campaign uses a channel with no cost, so its cost and ROI leave that channel out.',
    'metric-form': 'A metric is a customers column, an aggregate over events, or a quotient of two aggregates.',
    // Campaigns
    'campaign-missing-audience': 'A campaign needs an `audience`.',
    'campaign-missing-runs': 'A campaign needs `runs DATE to DATE`.',
    'campaign-no-channel': 'A campaign with no `channel` step contacts nobody.',
    'runs-reversed': 'A `runs` range that ends before it starts.',
    'invalid-date': 'A date that does not exist in the calendar (2026-02-30).',
    'control-share-range': 'A drawn control share must be above 0% and at most 50%.',
    'control-conflict': 'A campaign has both a drawn `control` and recorded `groups`.',
    'groups-source': 'Recorded groups come from a column of a customers source.',
    'groups-same-label': 'The treatment and control labels of recorded groups must differ.',
    'groups-split': 'A declared split needs two positive weights.',
    'step-after-end': 'A channel step scheduled after the campaign ends.',
    'attribution-range': 'An attribution window must be a whole number of days, at least 1.',
    'budget-range': 'A budget must be positive.',
    'campaign-overlap': 'Two campaigns with drawn control groups whose audiences can overlap in overlapping windows.',
    'roi-needs-value': 'An `roi` goal needs a value metric: one named `revenue`, or `value METRIC` in the campaign.',
    // Goals (SMART)
    'goal-no-deadline': 'Time-bound: a goal needs `by DATE`.',
    'goal-deadline-before-start': 'Time-bound: the deadline falls before the campaign starts.',
    'goal-deadline-before-outcome': 'The deadline falls before the attribution window of the last contact closes.',
    'goal-lift-without-control': 'Measurable: a lift goal needs a control group (`control N% seed` or `groups from`).',
    'goal-unit-mismatch': 'Measurable: the unit does not fit the metric (pp on a sum, count or ratio; % on cost).',
    'goal-lift-unit': 'Measurable: a lift target states its unit, % (relative) or pp (absolute).',
    'goal-implausible': 'Achievable: a relative lift above 300%, or a rate above 100%.',
    'goal-not-relevant': 'Relevant: the campaign has no goal on an outcome, so it cannot tell whether the objective was served.'
} as const;
