// Templates for "mplan: New Plan from Template". `${name}` is replaced by the plan's name.

export interface PlanTemplate {
    id: string;
    label: string;
    description: string;
    text: string;
}

export const PLAN_TEMPLATES: PlanTemplate[] = [
    {
        id: 'retention',
        label: 'Retention: win back lapsed customers',
        description: 'RFM segments, an email + letter sequence, a drawn control group, lift and ROI goals',
        text: `// \${name}: bring back customers who used to buy often and have gone quiet.
plan "\${name}" {
  objective retention
  owner "crm-team"
  currency USD

  customers shoppers from "data/customers.csv" key customer_id {
    email_opt_in: boolean
  }

  events orders from "data/orders.csv" customer customer_id time ordered_at {
    amount: number
  }

  rfm value from orders {
    monetary amount
    bins 5
  }

  segment at_risk "Bought often, gone quiet" = value.r <= 2 and value.f >= 3
  segment reachable = shoppers.email_opt_in

  channel email cost 0.02 per contact
  channel letter cost 0.80 per contact

  metric responded = any(orders)
  metric revenue = sum(orders.amount)

  campaign winback {
    audience at_risk and reachable
    channel email
    channel letter after 7 days
    offer "20% off the next order"
    runs 2026-09-01 to 2026-09-30
    control 10% seed "winback"
    attribution 30 days
    budget 2500

    goal "More lapsed buyers come back": lift(responded) >= 10% by 2026-11-15
    goal roi >= 1.5 by 2026-11-15
  }
}
`
    },
    {
        id: 'activation',
        label: 'Activation: welcome new sign-ups',
        description: 'A welcome sequence for recent sign-ups, measured in percentage points',
        text: `// \${name}: turn new sign-ups into first-time buyers.
plan "\${name}" {
  objective activation
  currency USD

  customers signups from "data/accounts.csv" key account_id {
    signed_up: date
  }

  events purchases from "data/purchases.csv" customer account_id time purchased_at {
    amount: number
  }

  segment recent "Signed up in the last two months" = signups.signed_up between 2026-07-01 and 2026-08-31

  channel email cost 0.02 per contact
  channel sms cost 0.06 per contact

  metric activated = any(purchases)
  metric revenue = sum(purchases.amount)

  campaign welcome {
    audience recent
    channel email
    channel sms after 3 days
    offer "Free shipping on the first order"
    runs 2026-09-07 to 2026-09-20
    control 15% seed "welcome"
    attribution 14 days
    budget 500

    goal "First purchase": lift(activated) >= 2 pp by 2026-10-31
    goal roi >= 0 by 2026-10-31
  }
}
`
    },
    {
        id: 'blank',
        label: 'Blank plan',
        description: 'An objective, one source and one campaign to fill in',
        text: `plan "\${name}" {
  objective growth

  customers people from "data/customers.csv" key id {
    spend: number
  }

  channel email cost 0.02 per contact

  metric spend = people.spend

  campaign first {
    audience everyone
    channel email
    runs 2026-09-01 to 2026-09-30
    control 10% seed "first"

    goal lift(spend) >= 5% by 2026-10-31
  }
}
`
    }
];

export function instantiate(template: PlanTemplate, name: string): string {
    return template.text.replace(/\$\{name\}/g, name.replace(/["\\]/g, ''));
}
