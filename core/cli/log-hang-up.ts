/**
 * SIGHUP for `cosell run` and `cosell serve` with a log file: open the file again (logrotate's `postrotate`
 * sends it). Node ends a process on a SIGHUP it does not handle, so a rotation set up the usual way for a
 * daemon stopped the sync. Without a log file the signal keeps its default: a terminal that hangs up ends
 * the command, as it ends any other.
 */
import { logFileOf } from '../log-file.js';
import type { Logger } from '../logger.js';

export function reopenLogOnHangUp(logger: () => Logger): () => void {
  // Decided when the signal comes: a config edit `cosell run` took may have added or removed the file.
  const listener = () => {
    const file = logFileOf(logger());
    if (!file) {
      // No file to reopen: the signal's default (the process ends), as before the handler.
      process.off('SIGHUP', listener);
      process.kill(process.pid, 'SIGHUP');
      return;
    }
    try {
      file.reopen();
      logger().info({ file: file.path }, 'SIGHUP: log file opened again');
    } catch (error) {
      console.error(`cosell: SIGHUP: cannot open the log file ${file.path} again (${(error as Error).message}); logging goes on to the file it had.`);
    }
  };
  process.on('SIGHUP', listener);
  return () => process.off('SIGHUP', listener);
}
