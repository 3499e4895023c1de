// The ResourceQuota admission plugin's refusals, read back into their parts. Its messages are the
// API's only account of why a pod was refused, and the quota check quotes them:
//   pods "p" is forbidden: exceeded quota: compute, requested: limits.cpu=500m, used: limits.cpu=2, limited: limits.cpu=2
//   pods "p" is forbidden: failed quota: compute: must specify limits.cpu for: probe
//   pods "p" is forbidden: failed quota: compute: must specify limits.cpu,limits.memory   (before v1.27)
//   pods "p" is forbidden: status unknown for quota: compute, resources: limits.cpu

export type QuotaRefusal =
  | { kind: 'exceeded'; quota: string; requested: Record<string, string>; used: Record<string, string>; limited: Record<string, string> }
  | { kind: 'must-specify'; quota: string; resources: string[] }
  | { kind: 'status-unknown'; quota: string; resources: string[] };

/** `limits.cpu=500m,requests.memory=1Gi` -> { 'limits.cpu': '500m', ... } */
function assignments(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [key, value] = part.trim().split('=');
    if (key !== undefined && key !== '' && value !== undefined) out[key] = value;
  }
  return out;
}

const EXCEEDED = /exceeded quota: ([a-z0-9.-]+), requested: (\S+), used: (\S+), limited: (\S+?)(?:$|[\s;])/;
const MUST_SPECIFY = /failed quota: ([a-z0-9.-]+): must specify (.+)$/;
const STATUS_UNKNOWN = /status unknown for quota: ([a-z0-9.-]+), resources: (\S+)/;

/** The refusal in an API error message, or undefined when the message is not a quota's. */
export function parseQuotaRefusal(message: string): QuotaRefusal | undefined {
  const exceeded = EXCEEDED.exec(message);
  if (exceeded !== null) {
    return { kind: 'exceeded', quota: exceeded[1] ?? '', requested: assignments(exceeded[2] ?? ''), used: assignments(exceeded[3] ?? ''), limited: assignments(exceeded[4] ?? '') };
  }
  const must = MUST_SPECIFY.exec(message);
  if (must !== null) {
    // "limits.cpu for: app,sidecar; limits.memory for: sidecar" or the older "limits.cpu,limits.memory".
    const text = must[2] ?? '';
    const parts = text.includes(' for: ') ? text.split(';').map((part) => part.replace(/\s+for:.*$/, '')) : text.split(',');
    const resources = parts.map((part) => part.trim()).filter((part) => part !== '');
    return { kind: 'must-specify', quota: must[1] ?? '', resources };
  }
  const unknown = STATUS_UNKNOWN.exec(message);
  if (unknown !== null) return { kind: 'status-unknown', quota: unknown[1] ?? '', resources: (unknown[2] ?? '').split(',').filter((r) => r !== '') };
  return undefined;
}
