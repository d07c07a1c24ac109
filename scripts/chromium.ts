// Where the test browser lives and how it is started. Shared by the Playwright config,
// the benchmark and scripts/ensure-chromium.mjs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags for headless Chromium on a machine with no GPU and no internet. */
export const chromiumArgs = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const freshUserDataDir = () => mkdtempSync(join(tmpdir(), 'pluralscope-chromium-'));
