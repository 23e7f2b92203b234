// A plan whose sources read database tables (issue 12): customers from a table with a schema, events from one without
// (the engine's default schema). Shared by the language, editor, runner and CLI tests of table sources.
export const TABLE_PLAN = `plan "Tables" {
  objective retention
  customers shoppers from table "crm.customers" key customer_id {
    age: number
  }
  events orders from table "orders" customer customer_id time ordered_at {
    amount: number
  }
  channel email cost 0.10 per contact
  metric revenue = sum(orders.amount)
  campaign thanks {
    audience shoppers.age >= 40
    channel email
    runs 2026-05-01 to 2026-05-31
    control 10% seed "thanks"
    goal lift(revenue) >= 5% by 2026-07-31
  }
}
`;
