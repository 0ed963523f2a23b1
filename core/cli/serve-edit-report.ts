/**
 * What `cosell serve` says about an edit of its config file, a single install's (`from`: "the next sync")
 * and a multi-tenant one's ("the next webhook delivery") alike: the keys an edit changed and those that
 * need a restart, or the error of an edit that does not load, once per content.
 */
import type { ConfigEditReport } from '../serve/config-follow.js';
import { configEditLine, configRefusedLine } from './config-reload.js';
import { reportError } from './output.js';

export function serveEditReport(configFile: string, from: string, taker: string): ConfigEditReport {
  return {
    taken: (keys, needRestart) => {
      console.log(configEditLine(configFile, keys, from));
      if (needRestart.length > 0) console.log(`Needs a restart: ${needRestart.join(', ')} (until then the service keeps what it started with).`);
    },
    refused: (error) => {
      console.error(configRefusedLine(configFile, 'the service', taker));
      reportError(error);
    },
  };
}
