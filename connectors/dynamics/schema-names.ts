/**
 * Names of the connector's own Dataverse objects, derived from the publisher prefix: the two child
 * tables (team members, solutions), their lookups to opportunity, and the navigation properties.
 */
export interface ConnectorNames {
  prefix: string;
  teamTable: string;
  teamSet: string;
  solutionTable: string;
  solutionSet: string;
  /** The child tables' lookup column to opportunity (read as `_<name>_value`). */
  lookupColumn: string;
  /** Single-valued navigation property on the child (for `@odata.bind`). */
  lookupNav: string;
  teamRelationship: string;
  solutionRelationship: string;
  /** Collection-valued navigation properties on opportunity (for `$expand`). */
  teamCollection: string;
  solutionCollection: string;
  /** Primary name column of both child tables. */
  nameColumn: string;
}

export function connectorNames(prefix: string): ConnectorNames {
  return {
    prefix,
    teamTable: `${prefix}teammember`,
    teamSet: `${prefix}teammembers`,
    solutionTable: `${prefix}solution`,
    solutionSet: `${prefix}solutions`,
    lookupColumn: `${prefix}opportunityid`,
    lookupNav: `${prefix}opportunityid`,
    teamRelationship: `${prefix}opportunity_${prefix}teammember`,
    solutionRelationship: `${prefix}opportunity_${prefix}solution`,
    teamCollection: `${prefix}opportunity_${prefix}teammember`,
    solutionCollection: `${prefix}opportunity_${prefix}solution`,
    nameColumn: `${prefix}name`,
  };
}
