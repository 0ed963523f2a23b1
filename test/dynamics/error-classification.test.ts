/**
 * How the Dynamics adapter names a failure: a column or table of the connector's own that Dataverse does not
 * know means `cosell setup dynamics` has not run (not a validation error), and a token endpoint msal could not
 * reach is a network failure (retryable), not refused credentials.
 */
import assert from 'node:assert/strict';
import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { ClientAuthError, ClientAuthErrorCodes, ServerError } from '@azure/msal-node';
import { toConnectorError } from '../../connectors/dynamics/errors.js';
import { AuthError, RemoteValidationError, SetupMissingError, NotFoundError } from '../../core/errors.js';

function answered(status: number, code: string, message: string): AxiosError {
  const headers = new AxiosHeaders();
  const response = { status, statusText: '', headers, config: { headers }, data: { error: { code, message } } } as AxiosResponse;
  return new AxiosError(`Request failed with status code ${status}`, 'ERR_BAD_REQUEST', { headers }, undefined, response);
}

describe('Dynamics 365 adapter: error classification', () => {
  it("reads an unknown property named with the publisher prefix as the connector's setup missing, naming the column and the command", () => {
    const error = toConnectorError(answered(400, '0x0', "Could not find a property named 'cosell_referralid' on type 'Microsoft.Dynamics.CRM.opportunity'."), 'reading opportunities', {}, 'cosell_');
    assert.ok(error instanceof SetupMissingError, error.message);
    assert.equal(error.code, 'setup_missing');
    assert.equal(error.missing, 'cosell_referralid');
    assert.match(error.message, /Dynamics 365 is not set up for the connector yet: cosell_referralid does not exist .*Run `cosell setup dynamics`.*`cosell check`/);
  });

  it("reads an unknown entity set of the connector's own (a child table) as setup missing, with any configured prefix", () => {
    const error = toConnectorError(answered(404, '0x8006088a', "Resource not found for the segment 'acme_teammembers'."), 'reading team members', {}, 'acme_');
    assert.ok(error instanceof SetupMissingError, error.message);
    assert.equal(error.missing, 'acme_teammembers');
  });

  it('leaves an unknown property that is not the connector\'s, and a missing row, as they were', () => {
    const foreign = toConnectorError(answered(400, '0x0', "Could not find a property named 'new_region' on type 'Microsoft.Dynamics.CRM.opportunity'."), 'reading opportunities', {}, 'cosell_');
    assert.ok(foreign instanceof RemoteValidationError && !(foreign instanceof SetupMissingError), foreign.message);
    const row = toConnectorError(answered(404, '0x80040217', 'opportunity With Id = 1f0e… Does Not Exist'), 'reading an opportunity', {}, 'cosell_');
    assert.ok(row instanceof NotFoundError, row.message);
  });

  it("reports msal's network_error (token endpoint unreachable) as a retryable failure to reach Entra ID, not refused credentials", () => {
    const error = toConnectorError(new ClientAuthError(ClientAuthErrorCodes.networkError, 'a-correlation-id'), 'acquiring a Dataverse token from https://login.microsoftonline.com/contoso');
    assert.ok(!(error instanceof AuthError), error.message);
    assert.equal(error.retryable, true);
    assert.match(error.message, /Could not reach Entra ID's token endpoint while acquiring a Dataverse token from https:\/\/login\.microsoftonline\.com\/contoso \(network_error/);
    assert.doesNotMatch(error.message, /refused/);
  });

  it("still reports Entra ID's refusal of the client secret as refused credentials", () => {
    const error = toConnectorError(new ServerError('invalid_client', 'AADSTS7000215: Invalid client secret provided.'), 'acquiring a Dataverse token');
    assert.ok(error instanceof AuthError, error.message);
    assert.match(error.message, /refused the Dataverse application's credentials/);
  });
});
