// Ctrl-C and SIGTERM during a run: the first signal stops the run gracefully (checks in flight
// abort, every registered cleanup runs, namespaces are awaited), a second one exits at once.
export interface SignalHandling {
  /** The first signal received, if any. */
  readonly received: () => NodeJS.Signals | undefined;
  dispose(): void;
}

export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}

export function installSignalHandlers(
  onFirst: (signal: NodeJS.Signals) => void,
  onSecond: (signal: NodeJS.Signals) => void,
  target: Pick<NodeJS.Process, 'on' | 'off'> = process,
): SignalHandling {
  let first: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (first === undefined) {
      first = signal;
      onFirst(signal);
    } else {
      onSecond(signal);
    }
  };
  target.on('SIGINT', handler);
  target.on('SIGTERM', handler);
  return {
    received: () => first,
    dispose: () => {
      target.off('SIGINT', handler);
      target.off('SIGTERM', handler);
    },
  };
}
