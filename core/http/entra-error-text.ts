/**
 * What an Entra ID token answer refused or failed with, in words that stay the same from one answer to the
 * next. msal words a token endpoint's error body as
 *   `<error>: Error(s): <codes> - Timestamp: <time> - Description: AADSTS…: <text>\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: … - Correlation ID: … - Trace ID: …`
 * (msal-common ResponseHandler; Entra's `error_description` carries its own trace, correlation and time
 * lines). The first line alone still held the answer's timestamp, so the same outage read as a new problem
 * at every turn of `cosell run`: its whole message printed again, logged again at error level, and the
 * "sign-in lost" notice could not tell the same refusal from a new one. Pure.
 */

/** msal's envelope around Entra's description, on the first line of its message. */
const MSAL_ENVELOPE = /^([^\s:]+): Error\(s\): .*? - Timestamp: .*? - Description: (.*)$/;
/** What follows the description when it had no line breaks of its own (another identity provider). */
const PER_ANSWER_TAIL = /\s+-\s+Correlation ID: .*$/;

export function entraErrorText(message: string): string {
  const firstLine = message.split(/\r?\n/)[0] ?? '';
  const wrapped = MSAL_ENVELOPE.exec(firstLine);
  const text = wrapped ? `${wrapped[1]}: ${wrapped[2]}` : firstLine;
  return text.replace(PER_ANSWER_TAIL, '').trim();
}
