// Formatting shared by the report writers (and, for durations, by every layer). Everything here is deterministic (no locale, no
// local time zone) so that golden files are identical on every machine.

/**
 * The one duration format of kube-assay, for the terminal, error messages and the reports alike:
 * `850ms`, `12.3s`, `30s`, `4m5s`, `2m`, `1h2m`; `-` for a negative or non-finite value. Cluster
 * errors (`within dnsResolve (30s)`) and the progress lines use it too, via src/cluster/timeouts.ts.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes >= 60) {
    const rest = minutes % 60;
    return `${Math.floor(minutes / 60)}h${rest === 0 ? '' : `${rest}m`}`;
  }
  const rest = totalSeconds % 60;
  return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
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
