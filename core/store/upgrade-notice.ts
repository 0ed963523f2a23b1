/**
 * Where the line saying a state database was upgraded goes (SQLite file or PostgreSQL database): a Node
 * process warning on standard error unless a command routes it to its log. Process-wide, like the log.
 */
type Notice = (message: string) => void;

let sink: Notice = (message) => process.emitWarning(message, 'CosellUpgradeNotice');

export function reportUpgradesTo(notice: Notice): Notice {
  const previous = sink;
  sink = notice;
  return previous;
}

export function tellUpgrade(message: string): void {
  sink(message);
}
