// Launches Debian's Chromium (package `chromium`, see scripts/deps/apt-test.txt) through
// playwright-core. The machine has no internet: the flags stop Chromium's own background
// traffic (updates, sync, QUIC probes) that would otherwise fail and slow it down.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.KUBE_ASSAY_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissingReason(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `Chromium not found at ${CHROMIUM_PATH}: install the Debian package "chromium" (scripts/deps/apt-test.txt)`;
}

export interface LaunchedChromium {
  context: BrowserContext;
  /** Closes the browser and removes its fresh profile directory. */
  close(): Promise<void>;
}

export async function launchChromium(): Promise<LaunchedChromium> {
  // A fresh profile per launch: playwright passes it as --user-data-dir (it refuses that flag in
  // `args`), so no state from an earlier run or from a person's browser leaks into a test.
  const profile = mkdtempSync(join(tmpdir(), 'kube-assay-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    viewport: { width: 1280, height: 900 },
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
