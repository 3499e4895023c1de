// On failure, before anything is deleted: capture events, pod status and container logs of a
// test namespace as report attachments. A dump never throws; what it cannot read it says.
import type { Attachment } from '../report/model.js';
import { describeApiError, errorSentence } from './api-errors.js';
import type { ClusterClients } from './client.js';
import { describePods, eventsTable, logTargets } from './dump-format.js';
import { readContainerLog } from './logs.js';

const LOG_TAIL_LINES = 200;
const MAX_LOGS = 20;

export async function dumpNamespace(clients: ClusterClients, namespace: string): Promise<Attachment[]> {
  const attachments: Attachment[] = [];
  try {
    const events = await clients.core.listNamespacedEvent({ namespace });
    attachments.push(eventsTable(namespace, events.items));
  } catch (err) {
    attachments.push({ kind: 'text', title: `events in ${namespace}`, body: `could not be read: ${describeApiError('list events', err)}` });
  }
  let pods;
  try {
    pods = (await clients.core.listNamespacedPod({ namespace })).items;
    attachments.push({ kind: 'text', title: `pods in ${namespace}`, body: describePods(pods) });
  } catch (err) {
    attachments.push({ kind: 'text', title: `pods in ${namespace}`, body: `could not be read: ${describeApiError('list pods', err)}` });
    return attachments;
  }
  for (const target of logTargets(pods).slice(0, MAX_LOGS)) {
    const title = `logs ${namespace}/${target.pod}/${target.container}${target.previous ? ' (previous)' : ''}`;
    try {
      const body = await readContainerLog(clients, { namespace, ...target, tailLines: LOG_TAIL_LINES });
      attachments.push({ kind: 'text', title, body: body === '' ? '(empty)' : body });
    } catch (err) {
      attachments.push({ kind: 'text', title, body: `could not be read: ${errorSentence(err)}` });
    }
  }
  return attachments;
}
