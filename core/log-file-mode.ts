/**
 * The log file (`logging.file`) is kept readable by its owner only. It holds deal names, customers' names and
 * contacts' emails, and the connector creates it 0600, but a mode is only given to a file being created: a
 * file made by an older version (0644), by hand, or by logrotate's `create` with its default or a looser mode
 * at each rotation, stayed readable by every user of the machine, silently.
 *
 * So each time the file is opened (at start, and again after a rotation) a file the process owns is
 * tightened to 0600, and standard error says so once per process, naming the file and the logrotate setting
 * that keeps it so. A file it does not own (logrotate's `create 0644 root root`) cannot be changed: that is
 * said once too, with the fix. Tightening is chosen over refusing the file: refusing would stop the logs of an
 * unattended run at a rotation, and the mode only affects who can open the file from then on.
 */
import { fchmodSync, fstatSync } from 'node:fs';

const OWNER_ONLY = 0o600;

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/**
 * A check to call with the descriptor of the log file each time it is opened: tightens it to 0600 if group
 * or others may use it. `report` gets one line for an admin (standard error), once per process.
 */
export function ownerOnlyLogFile(path: string, report: (message: string) => void): (fd: number) => void {
  let said = false;
  const sayOnce = (message: string) => {
    if (!said) report(message);
    said = true;
  };
  return (fd) => {
    if (process.platform === 'win32') return;
    let mode: number;
    try {
      mode = fstatSync(fd).mode & 0o777;
    } catch {
      return; // not open (a failed reopen): the next open is checked
    }
    if ((mode & 0o077) === 0) return;
    const keep = `give logrotate \`create 0600 <user> <group>\` (or \`create\` with no mode) for ${path}`;
    try {
      fchmodSync(fd, OWNER_ONLY);
      sayOnce(`cosell: the log file ${path} could be read by other users (mode ${octal(mode)}); it is now ${octal(OWNER_ONLY)} (owner only). If logrotate creates it, ${keep}.`);
    } catch (error) {
      sayOnce(`cosell: the log file ${path} can be read by other users (mode ${octal(mode)}) and this process cannot change it (${(error as NodeJS.ErrnoException).code ?? 'refused'}: another user owns it): run chmod 600 ${path}, and ${keep}.`);
    }
  };
}
