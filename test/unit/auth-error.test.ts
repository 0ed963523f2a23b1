/** The admin reads an AuthError as one sentence and what to do: a service message that ends with a full stop gets no second one. */
import assert from 'node:assert/strict';
import { AuthError } from '../../core/errors.js';

describe('AuthError message', () => {
  it('joins a message that ends with a full stop and its action with one full stop ("…dynamics.com.. Check" was seen)', () => {
    const error = new AuthError('Dataverse answered 401 while reading opportunities: The token is not valid for https://contoso.crm.dynamics.com.', 'Check crm > dynamics > environmentUrl');
    assert.equal(error.message, 'Dataverse answered 401 while reading opportunities: The token is not valid for https://contoso.crm.dynamics.com. Check crm > dynamics > environmentUrl');
  });

  it('adds the full stop a message without one needs, and leaves a message without an action as it is', () => {
    assert.equal(new AuthError('Salesforce refused the credentials', 'Run `cosell check`').message, 'Salesforce refused the credentials. Run `cosell check`');
    assert.equal(new AuthError('Sign-in returned no account.').message, 'Sign-in returned no account.');
  });
});
