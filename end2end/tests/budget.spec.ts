import { readFileSync } from 'fs';
import { brotliCompressSync, constants } from 'zlib';
import { test, expect, ready } from './fixtures';

// What a learner's phone downloads before the catalogue works: every .js and .wasm a cold
// visit to / fetches until the page has hydrated, brotli-compressed, against the committed
// budget (end2end/budget.json). The dashboard's code is split out (lazy routes), so it must
// not count here. Measured once, on the release build.
test('a cold visit to / fetches no more script than the budget', async ({ page }, info) => {
  test.skip(info.project.name !== 'js' || process.env.E2E_BUILD !== 'release', 'release build, one project');
  const fetched = new Set<string>();
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\.(js|wasm)$/.test(path)) fetched.add(path);
  });
  await page.goto('/');
  await ready(page, true);
  let total = 0;
  const lines: string[] = [];
  for (const path of [...fetched].sort()) {
    const raw = readFileSync(`../target/site${path}`);
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    total += br;
    lines.push(`${path}: ${raw.length} B raw, ${br} B brotli`);
  }
  const budget = JSON.parse(readFileSync('budget.json', 'utf8')).first_load_brotli_bytes;
  console.log(`first load of /: ${total} B brotli in ${fetched.size} files (budget ${budget})\n  ${lines.join('\n  ')}`);
  expect(fetched.size).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(budget);
});
