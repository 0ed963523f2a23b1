/**
 * Names of the connector's own Dataverse objects, derived from the publisher prefix: the three child
 * tables (team members, solutions, partner invitations), their lookups to opportunity, and the navigation properties.
 */
export interface ConnectorNames {
  prefix: string;
  teamTable: string;
  teamSet: string;
  solutionTable: string;
  solutionSet: string;
  invitationTable: string;
  invitationSet: string;
  /** The child tables' lookup column to opportunity (read as `_<name>_value`). */
  lookupColumn: string;
  /** Single-valued navigation property on the child (for `@odata.bind`). */
  lookupNav: string;
  teamRelationship: string;
  solutionRelationship: string;
  invitationRelationship: string;
  /** Collection-valued navigation properties on opportunity (for `$expand`). */
  teamCollection: string;
  solutionCollection: string;
  invitationCollection: string;
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
    invitationTable: `${prefix}partnerinvitation`,
    invitationSet: `${prefix}partnerinvitations`,
    lookupColumn: `${prefix}opportunityid`,
    lookupNav: `${prefix}opportunityid`,
    teamRelationship: `${prefix}opportunity_${prefix}teammember`,
    solutionRelationship: `${prefix}opportunity_${prefix}solution`,
    invitationRelationship: `${prefix}opportunity_${prefix}partnerinvitation`,
    teamCollection: `${prefix}opportunity_${prefix}teammember`,
    solutionCollection: `${prefix}opportunity_${prefix}solution`,
    invitationCollection: `${prefix}opportunity_${prefix}partnerinvitation`,
    nameColumn: `${prefix}name`,
  };
}
