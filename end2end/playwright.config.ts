import { defineConfig } from '@playwright/test';

// The server is started by scripts/test.sh (debug or release build) at TOHU_BASE_URL.
const baseURL = process.env.TOHU_BASE_URL ?? 'http://127.0.0.1:3100';

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL, launchOptions, trace: 'off' },
  projects: [
    { name: 'js', use: { viewport: { width: 1280, height: 900 }, javaScriptEnabled: true } },
    { name: 'no-js', use: { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false } },
    {
      name: 'mobile-360',
      use: { viewport: { width: 360, height: 740 }, javaScriptEnabled: true, isMobile: true, hasTouch: true },
    },
  ],
});
