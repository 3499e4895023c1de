// Credentials a probe sees never leave it whole: an access key id is shown as its first four and
// last three characters (`ASIA…XYZ`); secrets, session tokens and ServiceAccount tokens are never
// shown at all. Pure.

/** `ASIAKASSAYTESTBEDXYZ` -> `ASIA…XYZ`; too short to mask safely -> `…`. */
export function maskAccessKey(id: string): string {
  return id.length < 10 ? '…' : `${id.slice(0, 4)}…${id.slice(-3)}`;
}

/** Removes every occurrence of each secret from `text` (for messages that quote a reply). */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, s) => out.split(s).join('[redacted]'), text);
}
