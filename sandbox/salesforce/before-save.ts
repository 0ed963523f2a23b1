/**
 * Before-save automation an org admin adds: a record-triggered flow "run before the record is saved", or a
 * `before insert` / `before update` Apex trigger. Salesforce runs it after loading the request's values and
 * before the custom validation rules and the save itself ("Triggers and Order of Execution", steps 3–4:
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_triggers_order_of_execution.htm),
 * so what it sets is saved in the same DML: one `LastModifiedDate` / `SystemModstamp`, no second save. A
 * client that wrote X and reads the record back sees the rewritten X' with the save's own timestamp, the
 * classic start of a sync loop.
 */
export interface BeforeSaveFlow {
  object: string;
  /** Runs on insert, update or both. */
  on: readonly ('insert' | 'update')[];
  /**
   * The field values the flow sets, given the record as it would be saved and the fields the request
   * changed (an update's `ISCHANGED`); nothing to set is `{}`.
   */
  sets(record: Readonly<Record<string, unknown>>, changed: ReadonlySet<string>): Record<string, unknown>;
}

/** Applies every flow of the object to `record`, in the order they were added (a flow's trigger order). */
export function runBeforeSaveFlows(flows: readonly BeforeSaveFlow[], object: string, event: 'insert' | 'update', record: Record<string, unknown>, changed: ReadonlySet<string>): void {
  for (const flow of flows) {
    if (flow.object.toLowerCase() !== object.toLowerCase() || !flow.on.includes(event)) continue;
    Object.assign(record, flow.sets(record, changed));
  }
}
