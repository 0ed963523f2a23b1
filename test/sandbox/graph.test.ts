/**
 * The Graph sandbox against Graph's documented shapes: sendMail (202, no body), chat and channel messages
 * (201 chatMessage), the error body `{ error: { code, message, innerError } }`, 401 without a valid token,
 * 429 with Retry-After, and the control that lists what was sent; then the connector's Graph sender (the
 * official client with an msal token) through it, throttled once.
 */
import assert from 'node:assert/strict';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { graphSender } from '../../core/notify/graph-sender.js';
import { startEntraSandbox, SANDBOX_APPS, type EntraSandbox } from '../../sandbox/entra/index.js';
import { startGraphSandbox, type GraphSandbox } from '../../sandbox/graph/index.js';

const APP = SANDBOX_APPS.dashboard;

describe('Microsoft Graph sandbox', () => {
  let entra: EntraSandbox;
  let graph: GraphSandbox;
  let bearer: string;
  const post = (path: string, body: unknown, auth = bearer) =>
    fetch(`${graph.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body: JSON.stringify(body) });
  const mail = { message: { subject: 'Hello', body: { contentType: 'Text', content: 'Hi' }, toRecipients: [{ emailAddress: { address: 'sam@contoso-partner.example' } }] } };

  before(async () => {
    entra = await startEntraSandbox();
    graph = await startGraphSandbox({ signer: entra.signer });
    const cca = new ConfidentialClientApplication({ auth: { clientId: APP.clientId, clientSecret: APP.clientSecret, authority: entra.authority, authorityMetadata: entra.authorityMetadata } });
    bearer = (await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }))!.accessToken;
  });
  after(async () => {
    await graph.close();
    await entra.close();
  });
  beforeEach(() => fetch(`${graph.controls}/reset`, { method: 'POST' }));

  it('sendMail answers 202 with no body and the control lists the message', async () => {
    const response = await post('/v1.0/users/notify%40contoso-partner.example/sendMail', mail);
    assert.equal(response.status, 202);
    assert.equal(await response.text(), '');
    const { value } = (await (await fetch(`${graph.controls}/sent`)).json()) as { value: { kind: string; from: string; to: string[]; subject: string }[] };
    assert.deepEqual(value.map(({ kind, from, to, subject }) => ({ kind, from, to, subject })), [{ kind: 'mail', from: 'notify@contoso-partner.example', to: ['sam@contoso-partner.example'], subject: 'Hello' }]);
  });

  it('answers Graph\'s error shape: 401 without a valid token, 400 without recipients', async () => {
    const unauthenticated = await post('/v1.0/users/x/sendMail', mail, 'not-a-token');
    assert.equal(unauthenticated.status, 401);
    const body = (await unauthenticated.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
    assert.equal(body.error.code, 'InvalidAuthenticationToken');
    assert.ok(body.error.innerError['request-id'] && body.error.innerError.date);
    const noRecipients = await post('/v1.0/users/x/sendMail', { message: { subject: 's', body: { content: 'b' } } });
    assert.equal(noRecipients.status, 400);
    assert.equal(((await noRecipients.json()) as { error: { code: string } }).error.code, 'ErrorInvalidRecipients');
  });

  it('posts chat and channel messages as chatMessage resources (201)', async () => {
    const chat = await post('/v1.0/chats/19%3Achat-1%40thread.v2/messages', { body: { contentType: 'html', content: '<p>hi</p>' } });
    assert.equal(chat.status, 201);
    const chatMessage = (await chat.json()) as { id: string; messageType: string; chatId: string; body: { contentType: string; content: string } };
    assert.equal(chatMessage.messageType, 'message');
    assert.equal(chatMessage.chatId, '19:chat-1@thread.v2');
    assert.deepEqual(chatMessage.body, { contentType: 'html', content: '<p>hi</p>' });
    const channel = await post('/v1.0/teams/team-1/channels/19%3Achannel%40thread.tacv2/messages', { body: { content: 'hello channel' } });
    assert.equal(channel.status, 201);
    assert.deepEqual(((await channel.json()) as { channelIdentity: unknown }).channelIdentity, { teamId: 'team-1', channelId: '19:channel@thread.tacv2' });
    const empty = await post('/v1.0/chats/c/messages', { body: { content: '' } });
    assert.equal(empty.status, 400);
  });

  it('throttles with 429, Retry-After and code TooManyRequests', async () => {
    await fetch(`${graph.controls}/throttle`, { method: 'POST', body: JSON.stringify({ requests: 1, retryAfterSeconds: 7 }) });
    const throttled = await post('/v1.0/users/x/sendMail', mail);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '7');
    assert.equal(((await throttled.json()) as { error: { code: string } }).error.code, 'TooManyRequests');
    assert.equal((await post('/v1.0/users/x/sendMail', mail)).status, 202, 'the next call passes');
  });

  it('the connector\'s sender (graph client + msal) waits out a 429 and delivers mail, chat and channel messages once', async () => {
    const sender = graphSender({ authority: entra.authority, authorityMetadata: entra.authorityMetadata, clientId: APP.clientId, clientSecret: 'env:UNUSED', baseUrl: graph.url }, APP.clientSecret);
    graph.throttle(1, 1);
    await sender.sendMail('notify@contoso-partner.example', ['sam@contoso-partner.example'], 'Subject', '<p>Body</p>');
    await sender.postToChat('chat-1', '<p>chat</p>');
    await sender.postToChannel('team-1', 'channel-1', '<p>channel</p>');
    assert.deepEqual(graph.sent().map((s) => [s.kind, s.to.join(',')]), [['mail', 'sam@contoso-partner.example'], ['chat', 'chat-1'], ['channel', 'team-1/channel-1']]);
  });
});
