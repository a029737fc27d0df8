/**
 * Headless Chromium for tests (Debian's `chromium`, driven by playwright-core); the launcher lives
 * in targets/wgsl/chromium.ts, which runs WebGPU models with it. Where Chromium is not installed,
 * browser tests are skipped and say why; CI (which sets CI=true) installs it and treats its absence
 * as a failure, so they can never be skipped silently there.
 */
import { CHROMIUM, chromiumAvailable, chromiumMissing, launchBrowser } from '../../targets/wgsl/chromium.js';

export { CHROMIUM, launchBrowser };
export const browserRequired = process.env['CI'] === 'true';
export const browserAvailable = chromiumAvailable;
export const browserSkipReason = browserAvailable ? '' : `${chromiumMissing}; browser tests skipped`;
