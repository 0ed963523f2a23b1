/**
 * OData literals shared by both OData APIs the connector talks to (Dataverse's Web API and Partner
 * Center's referrals API), so a value is quoted the same way wherever a `$filter` is built. Pure.
 */

/**
 * An OData string literal: the value in single quotes, a single quote inside it doubled. OData's ABNF
 * (OData ABNF Construction Rules 4.01, rule `SQUOTE-in-string = SQUOTE SQUOTE`: "two consecutive single
 * quotes represent one within a string literal") has no other escape, so `O'Brien` becomes `'O''Brien'`.
 * https://docs.oasis-open.org/odata/odata/v4.01/os/abnf/odata-abnf-construction-rules.txt
 */
export function odataStringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
