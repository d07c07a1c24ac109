// Makes sure the browser tests have a Chromium: CHROMIUM_PATH, else /usr/bin/chromium.
// On Debian as root it installs the `chromium` package; anywhere else it fails with a
// message saying how to get one. It never skips the browser tests silently.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './chromium.ts';

const path = chromiumPath();
if (existsSync(path)) {
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version');
if (!process.env.CHROMIUM_PATH && isRoot && isDebian) {
  console.error(`No Chromium at ${path}: installing Debian's chromium package…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (existsSync(path)) process.exit(0);
}
console.error(
  `The browser tests need Chromium and none was found at ${path}.\n` +
    'Install it (Debian/Ubuntu: sudo apt-get install chromium) or point CHROMIUM_PATH at a Chromium or Chrome binary.',
);
process.exit(1);
