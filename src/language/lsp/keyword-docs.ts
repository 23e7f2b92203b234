// One short explanation per keyword, shown on hover. A few keywords mean different things in different statements
// (`channel` declares a channel or adds a contact step; `mean` aggregates events or states a goal), so an entry may
// be keyed by the AST type the keyword appears in: `Type:keyword` is looked up before `keyword`.

const DOCS: Record<string, string> = {
    // Files and plans
    'import': '`import "file.mplan"` makes the declarations of another plan file visible here (paths are relative to this file).',
    'plan': '`plan "Name" { ... }` holds one marketing plan: its settings, data, segments, channels, metrics and campaigns.',
    'objective': '`objective acquisition | activation | retention | growth`: what the plan is for. Goals are judged relevant against it.',
    'acquisition': 'Objective: win new customers.',
    'activation': 'Objective: turn sign-ups or visitors into active customers.',
    'retention': 'Objective: keep existing customers buying (win back the lapsing).',
    'growth': 'Objective: grow what existing customers spend.',
    'owner': '`owner "team"`: who is responsible for the plan.',
    'currency': '`currency USD`: the ISO 4217 currency of costs, budgets and money metrics.',

    // Data sources
    'customers': '`customers NAME from "file" key COLUMN { columns }`: a data source with one row per customer. Without `key`, the row number is the key.',
    'events': '`events NAME from "file" customer COLUMN time COLUMN { columns }`: a data source with many rows (events such as orders) per customer.',
    'from': '`from`: where something comes from: a data file, an events source, or a column holding recorded groups.',
    'key': '`key COLUMN`: the text column that identifies each customer in a customers source.',
    'EventsSource:customer': '`customer COLUMN`: the column that ties each event to a customer.',
    'customer': '`customer COLUMN`: the column that ties each event to a customer.',
    'time': '`time COLUMN`: the column holding when each event happened; events count inside the attribution window.',
    'text': 'Column type `text`: a string.',
    'number': 'Column type `number`: a number (0/1 columns can serve as rates).',
    'date': 'Column type `date`: an ISO date, YYYY-MM-DD.',
    'boolean': 'Column type `boolean`: true or false.',

    // RFM models
    'rfm': '`rfm NAME from EVENTS { monetary COLUMN  as of DATE  bins N }`: scores every customer on recency (`NAME.r`), frequency (`NAME.f`) and monetary value (`NAME.m`), 1 to N, higher is better.',
    'monetary': '`monetary COLUMN`: the number column of the events source whose sum gives the monetary score.',
    'as': '`as of DATE`: the date recency is measured from (default: the evaluation date).',
    'of': '`as of DATE`: the date recency is measured from (default: the evaluation date).',
    'bins': '`bins N`: how many score levels (2 to 10, default 5); scores run from 1 to N, higher is better.',

    // Segments, channels, metrics
    'segment': '`segment NAME "description" = CONDITION`: a named group of customers, selected on customer columns, RFM scores, aggregates over past events, other segments and tiers.',
    'tiers': '`tiers NAME "description" { TIER = CONDITION ... TIER = otherwise }`: mutually exclusive groups of customers. Each customer is in the first tier whose condition holds; `NAME.TIER` is a condition wherever a segment may stand.',
    'otherwise': '`TIER = otherwise`: the last tier takes every customer the tiers above it leave.',
    'Aggregate:where': '`AGG(EVENTS where CONDITION)`: only the events whose own columns meet the condition count (`count(responses where category = "music")`).',
    'where': '`AGG(EVENTS where CONDITION)`: only the events whose own columns meet the condition count.',
    'Aggregate:within': '`AGG(EVENTS within N days)`: only the events of the last N days before the reference date count (on or after the reference date − N days). In conditions only: a metric counts the attribution window.',
    'within': '`within N days`: only the events of the last N days before the reference date count.',
    'limit': '`limit N by EXPR`: caps the audience at the N members with the highest EXPR (a per-customer number: a column, an RFM score, an aggregate, or arithmetic of those); ties, and all of them without `by`, go by a hash of their own (SHA-256 of seed:limit:key), never the control hash, so the cut-off does not favour control or treatment.',
    'Limit:by': '`limit N by EXPR`: the audience members with the highest values of this per-customer number are kept.',
    'Channel:channel': '`channel NAME cost N per contact capacity N per day`: a way to contact customers, with its cost.',
    'ChannelStep:channel': '`channel NAME after N days unless METRIC`: a contact step of the campaign (or arm); `after` counts from the start of `runs`.',
    'channel': '`channel`: declares a channel, or (inside a campaign) adds a contact step.',
    'Channel:cost': '`cost N per contact`: what one contact through this channel costs.',
    'Offer:cost': '`offer "text" cost N per METRIC`: the offer costs N for each unit of METRIC (any, count, or a number customers column) of each treatment customer.',
    'Offer:per': '`cost N per METRIC`: the offer is paid per unit of this per-customer metric.',
    'FixedCost:cost': '`fixed cost N`: a cost of the campaign whatever its audience size (design, printing).',
    'fixed': '`fixed cost N`: a cost of the campaign whatever its audience size (design, printing).',
    'PlanGoalTarget:cost': '`goal cost <= N`: the campaign\'s total cost (contacts × channel cost) must stay within N.',
    'cost': '`cost`: the cost of a channel per contact, of an offer per unit of a metric (`offer "..." cost 12 per booked`), or (in a goal) the campaign\'s total cost: contacts, offer and fixed cost.',
    'per': '`per contact` / `per day` / `per METRIC`: the unit of a channel\'s cost or capacity, or of an offer\'s cost.',
    'contact': '`per contact`: the cost applies to every customer contacted.',
    'capacity': '`capacity N per day`: how many contacts the channel can make each day.',
    'day': '`day`/`days`: a number of days.',
    'days': '`day`/`days`: a number of days.',
    'metric': '`metric NAME = EXPRESSION`: an outcome measured per customer: a customers column, an aggregate over events (any, count, sum, mean, min, max), or a quotient of two aggregates.',

    // Campaigns
    'arm': '`arm NAME share N% label "text" { channel steps }`: one variant of the campaign\'s treatment, with its own contact steps. A campaign has either channel steps or arms.',
    'share': '`share N%`: the arm\'s part of the treatment group when the runner draws the groups. Every arm states one (adding up to 100%) or none (equal parts).',
    'label': '`label "text"`: the value of the recorded group column (`groups from SOURCE.COLUMN`) that marks this arm\'s customers.',
    'unless': '`unless METRIC`: skip this contact for customers whose METRIC (any, count, or a boolean or number customers column) holds by the day of the step.',
    'margin': '`margin N%`: the share of the value metric\'s increment that is profit; ROI counts that share. In the plan, or in a campaign (which wins).',
    'for': '`for ARM`: the goal is judged on that arm of the campaign alone (without `for`, one verdict per arm).',
    'vs': '`for A vs B`: the lift (or ROI) of arm A over arm B, instead of over control. ROI for A vs B counts A\'s extra value over B against A\'s cost minus B\'s.',
    'campaign': '`campaign NAME { ... }`: who is contacted (audience), how (channel steps), when (runs), against which control, and the goals it must meet.',
    'audience': '`audience CONDITION`: the customers the campaign targets (`everyone`, a segment, or a condition).',
    'after': '`after N days`: when this contact happens, counted from the start of `runs`.',
    'offer': '`offer "text" [cost N per METRIC]`: what the campaign offers; with `cost`, N for each unit of METRIC (an any, count or number column metric) in the treatment group.',
    'runs': '`runs DATE to DATE`: when the campaign contacts its audience.',
    'to': '`runs START to END`: the last day of the campaign.',
    'DrawnControl:control': '`control N% seed "text"`: the runner holds out N% of the audience as a control group, drawn by hashing the seed with each customer key.',
    'RecordedGroups:control': '`control "label"`: the value of the group column that marks the control group.',
    'control': '`control`: a control group, drawn by the runner (`control N% seed "..."`) or recorded in the data.',
    'seed': '`seed "text"`: makes the control draw reproducible: the same seed always holds out the same customers.',
    'groups': '`groups from SOURCE.COLUMN treatment "label" control "label"` (with arms: `control "label"` only, each arm names its `label`): the groups were assigned elsewhere and recorded in a column of the data.',
    'treatment': '`treatment "label"`: the value of the group column that marks the contacted group.',
    'split': '`split T:C` (or, with arms, `split C:A1:A2...`, control first): the intended ratio of recorded groups, checked against the data.',
    'attribution': '`attribution N days`: events count toward metrics for N days from exposure (default 30).',
    'budget': '`budget N`: the most the campaign may spend.',
    'ValueMetric:value': '`value METRIC`: the metric whose incremental value enters the ROI (default: the metric named `revenue`).',
    'value': '`value METRIC`: the metric whose incremental value enters the ROI (default: the metric named `revenue`).',

    // Goals
    'goal': '`goal "label": TARGET by DATE`: a SMART goal: one measurable target with a deadline.',
    'by': '`by DATE`: the deadline of a goal, when its verdict is due (it makes the goal time-bound).',
    'lift': '`lift(METRIC) >= N%` (relative) or `>= N pp` (absolute): how much better treatment does than control. Needs a control group.',
    'total': '`total(METRIC)`: the metric summed over the treatment group.',
    'MetricGoalTarget:mean': '`mean(METRIC)`: the metric\'s mean in the treatment group (`%` for a rate: `mean(responded) >= 20%`).',
    'mean': '`mean(EVENTS.COLUMN)`: the average of a number column per customer.',
    'roi': '`roi`: return on investment, (incremental value × margin − cost) / cost (margin 1 without `margin`), with value from the `value` metric (default: the metric named `revenue`). `150%` means the same as `1.5`.',
    'pp': '`pp`: percentage points, an absolute difference between two rates (5% → 8% is +3 pp).',
    '%': '`%`: a percentage (`10%` = 0.10). On a lift, relative to the control group.',
    'DrawnControl:%': '`N%`: the share of the audience held out as control.',
    '>=': '`>=`: at least.',
    '<=': '`<=`: at most.',

    // Expressions
    'any': '`any(EVENTS)`: 1 when the customer has at least one event, else 0: a rate in a metric (events in the attribution window), a condition in a segment or audience (events before the reference date).',
    'count': '`count(EVENTS)`: the number of events per customer.',
    'sum': '`sum(EVENTS.COLUMN)`: the total of a number column per customer.',
    'min': '`min(EVENTS.COLUMN)`: the smallest value per customer.',
    'max': '`max(EVENTS.COLUMN)`: the largest value per customer.',
    'and': '`and`: both conditions hold.',
    'or': '`or`: at least one condition holds.',
    'not': '`not`: the condition does not hold (also `not in [...]`).',
    'in': '`in [a, b]`: the value is one of the listed values.',
    'between': '`between LOW and HIGH`: the value lies in the range, both ends included.',
    'everyone': '`everyone`: all customers.',
    'true': '`true`: the boolean value true.',
    'false': '`false`: the boolean value false.'
};

/** The documentation of `keyword` as it appears in a node of type `nodeType`, if any. */
export function keywordDoc(keyword: string, nodeType: string | undefined): string | undefined {
    return (nodeType ? DOCS[`${nodeType}:${keyword}`] : undefined) ?? DOCS[keyword];
}
