/**
 * The endpoints of the dashboard's sign-in and of notifications, judged by the same outbound-endpoint
 * policy as the sync's: the dashboard's client secret goes to its authority, the Graph app's secret to
 * its authority and its token to Graph's base URL, nowhere else.
 */
import { partnerCenterEndpoints } from '../connectors/partner-center/config.js';
import { authorityMetadataEndpoints, type EndpointRef } from './endpoint-policy.js';
import type { CosellConfig } from './schema.js';

export function peopleEndpoints(config: Pick<CosellConfig, 'dashboard' | 'notifications'>): EndpointRef[] {
  const signIn = config.dashboard?.signIn;
  const graph = config.notifications?.graph;
  return [
    ...(signIn ? [{ key: 'dashboard > signIn > authority', url: signIn.authority }, ...authorityMetadataEndpoints('dashboard > signIn > authorityMetadata', signIn.authorityMetadata)] : []),
    // Same shape as Partner Center's: a base URL, an authority and msal's metadata.
    ...(graph ? partnerCenterEndpoints(graph, 'notifications > graph') : []),
  ];
}
