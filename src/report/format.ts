// Formatting shared by the report writers. Everything here is deterministic (no locale, no
// local time zone) so that golden files are identical on every machine.

/** Human-readable duration: `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Seconds with millisecond precision, as JUnit `time` attributes expect. */
export function toSeconds(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.round(ms) / 1000;
}

/** An ISO 8601 instant shown in UTC as `2025-11-21 10:04:05 UTC`; anything else unchanged.
 *  The report is read in other time zones than it was written in, so UTC is the one honest form. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

// ANSI colour and cursor sequences (CSI ... final byte) that container logs often carry.
// eslint-disable-next-line no-control-regex -- matching the ESC control character is the point
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Removes terminal escape sequences so that logs read the same in XML and HTML. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '');
}
