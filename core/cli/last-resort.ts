/**
 * The last resort for an error nothing caught (a throw from a timer or an event handler, a rejected promise
 * no one awaited). Node's own report prints the error object whole (`util.inspect`): an axios error carries
 * its request, with the `Authorization` header, so a bearer token or a client secret would reach the
 * terminal, the journal or a CI log. Such an error is reported as every command's error is (`reportError`:
 * name and message with secrets redacted, the stack only with --debug), and the process ends with exit 1,
 * as it would have ended anyway.
 */
import { EXIT } from './exit-codes.js';
import { reportError } from './output.js';

let installed = false;

export function reportUncaughtErrors(): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (error) => {
    try {
      reportError(error);
    } finally {
      process.exit(EXIT.failed);
    }
  });
}
