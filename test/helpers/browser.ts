import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by scripts/install-test-deps.sh); Playwright never downloads one. */
export const CHROMIUM = process.env.BULWARK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A real headless Chromium. The flags keep it off the network: this machine's closed network
 * refuses Chromium's background connections, many at a time, and they are not what a test is about.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: run scripts/install-test-deps.sh (it installs Debian's chromium)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
