/**
 * Debian's Chromium as the tests and benchmarks start it on this offline machine: headless, as
 * root, and without the background connections the closed network refuses many at a time.
 */

/** Installed by scripts/install-test-deps.sh. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
