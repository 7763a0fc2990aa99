import { readFileSync } from 'fs';
import { brotliCompressSync, constants } from 'zlib';
import type { Page } from '@playwright/test';
import { test, expect, ready } from './fixtures';

const budget = JSON.parse(readFileSync('budget.json', 'utf8'));

// Every .js and .wasm a cold visit to `path` fetches until the page has hydrated, with
// their brotli bytes (quality 11, as the build's precompressed copies).
async function coldLoad(page: Page, path: string) {
  const fetched = new Set<string>();
  page.on('response', (r) => {
    const url = new URL(r.url()).pathname;
    if (/\.(js|wasm)$/.test(url)) fetched.add(url);
  });
  await page.goto(path);
  await ready(page, true);
  let total = 0;
  const lines: string[] = [];
  for (const file of [...fetched].sort()) {
    const raw = readFileSync(`../target/site${file}`);
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    total += br;
    lines.push(`${file}: ${raw.length} B raw, ${br} B brotli`);
  }
  return { files: fetched.size, total, lines };
}

// What a learner's phone downloads before a page works, against the committed budget
// (end2end/budget.json). The learner's pages (the search, a credential, the registration
// form) are rendered on the server only and made live by small modules in the main WASM;
// Leptos's app is a split chunk the signed-in pages load, so it must not count here.
// Measured once, on the release build.
for (const path of ['/', '/credentials/demonstrate-basic-chainsaw-operation', '/credentials/demonstrate-basic-chainsaw-operation/register']) {
  test(`a cold visit to ${path} fetches no more script than the budget`, async ({ page }, info) => {
    test.skip(info.project.name !== 'js' || process.env.E2E_BUILD !== 'release', 'release build, one project');
    const { files, total, lines } = await coldLoad(page, path);
    console.log(`first load of ${path}: ${total} B brotli in ${files} files (budget ${budget.first_load_brotli_bytes})\n  ${lines.join('\n  ')}`);
    expect(files).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(budget.first_load_brotli_bytes);
  });
}

// A hydrated page (sign-in, the dashboard) fetches the app's chunk and its lazy area's;
// each file is a request and a module to compile on a phone's main thread. Thirteen lazy
// pages once made the registration form fetch 74 files; the areas keep the count small,
// and this keeps it so.
test('a cold visit to /sign-in fetches few script files', async ({ page }, info) => {
  test.skip(info.project.name !== 'js' || process.env.E2E_BUILD !== 'release', 'release build, one project');
  const { files, total, lines } = await coldLoad(page, '/sign-in');
  console.log(`cold load of /sign-in: ${total} B brotli in ${files} files (at most ${budget.lazy_page_files})\n  ${lines.join('\n  ')}`);
  expect(files).toBeLessThanOrEqual(budget.lazy_page_files);
});
