import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Headless Chromium for tests (Debian's `chromium`, driven by playwright-core). Where it is not
 * installed, browser tests are skipped and say why; CI (which sets CI=true) installs it and treats
 * its absence as a failure, so they can never be skipped silently there.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const browserRequired = process.env['CI'] === 'true';
export const browserAvailable = existsSync(CHROMIUM);
export const browserSkipReason = browserAvailable ? '' : `${CHROMIUM} is not installed (apt-get install -y chromium); browser tests skipped`;

/** Flags for a sandbox-less root machine with no network; WebGPU on SwiftShader where there is no GPU. */
const FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
];

export async function launchBrowser(): Promise<Browser> {
  if (!browserAvailable) throw new Error(browserSkipReason);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
