import { test, expect, ready } from './fixtures';

// The browser's code adopts the server's HTML: no element under <main> that the server
// sent is replaced, and the largest contentful paint is a server-rendered node that is
// still in the page afterwards (a replaced node would paint again, later). The learner's
// pages (the search with and without a query, a credential, its registration form) render
// in islands mode and hydrate only their islands (src/ui/islands.rs): the search form
// around the server's results, the seat figures, the form; an island that drew its
// part again instead of adopting it would fail here. /sign-in hydrates the whole app.
test('hydration keeps the server-rendered nodes and the largest paint', async ({ page, javaScriptEnabled }, info) => {
  test.skip(!javaScriptEnabled || info.project.name !== 'js', 'hydration needs JavaScript; one project');
  await page.addInitScript(() => {
    const w = window as unknown as { lcp: Element[]; served: Element[]; body: Element[] };
    w.lcp = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const el = (e as unknown as { element?: Element }).element;
        if (el) w.lcp.push(el);
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    document.addEventListener('DOMContentLoaded', () => {
      w.served = [...document.querySelectorAll('main *')];
      w.body = [...document.querySelectorAll('body *')];
    });
  });
  for (const path of ['/', '/?q=chainsaw', '/credentials/demonstrate-basic-chainsaw-operation', '/credentials/demonstrate-basic-chainsaw-operation/register', '/sign-in']) {
    // A lazy route's chunks are not preloaded while the page paints (`WithoutChunkPreloads`
    // in src/app.rs): they load when the route hydrates.
    const html = await (await page.request.get(path)).text();
    expect(html.match(/<link[^>]*chunk_\d+[^>]*>/g) ?? [], `${path}: chunk preloads`).toEqual([]);
    await page.goto(path);
    await ready(page, true);
    // The observer hears of a paint a task or two after it; a page that is live at once
    // (a learner's page whose islands hydrated quickly) can be read before that.
    await expect.poll(() => page.evaluate(() => (window as unknown as { lcp: Element[] }).lcp.length), path).toBeGreaterThan(0);
    const r = await page.evaluate(() => {
      const w = window as unknown as { lcp: Element[]; served: Element[]; body: Element[] };
      return {
        served: w.served.length,
        replaced: w.served.filter((n) => !document.contains(n)).map((n) => `${n.tagName}.${n.className}`),
        lcp: w.lcp.length,
        lcpGone: w.lcp.filter((n) => !document.contains(n)).length,
        lcpServed: w.lcp.filter((n) => w.body.includes(n)).length,
      };
    });
    expect(r.served, path).toBeGreaterThan(10);
    expect(r.replaced, `${path}: server-rendered elements replaced by hydration`).toEqual([]);
    expect(r.lcp, path).toBeGreaterThan(0);
    expect(r.lcpGone, `${path}: an LCP element was removed`).toBe(0);
    expect(r.lcpServed, `${path}: every LCP element came from the server`).toBe(r.lcp);
  }
});
