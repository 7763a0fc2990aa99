import { test as base, request as apiRequest } from '@playwright/test';
import { test as checked, expect } from './fixtures';

/** Dashboard tests run signed in as the e2e provider coordinator. The sign-in happens once
 *  per worker (so once per project: each project gets its own worker) through the real
 *  form, and every test reuses that session: the per-account sign-in limit counts every
 *  attempt, and Argon2 is deliberately slow. */
export const test = checked.extend<{}, { coordinatorState: string }>({
  storageState: ({ coordinatorState }, use) => use(coordinatorState),
  coordinatorState: [
    async ({}, use, workerInfo) => {
      const email = process.env.E2E_DASHBOARD_EMAIL;
      const password = process.env.E2E_PASSWORD;
      if (!email || !password) throw new Error('E2E_DASHBOARD_EMAIL and E2E_PASSWORD are set by scripts/test');
      const baseURL = workerInfo.project.use.baseURL!;
      const context = await apiRequest.newContext({ baseURL });
      const res = await context.post('/sign-in', {
        form: { email, password },
        headers: { origin: baseURL },
        maxRedirects: 0,
      });
      if (res.status() !== 303) throw new Error(`sign-in answered ${res.status()}`);
      const file = workerInfo.project.outputDir + `/coordinator-${workerInfo.workerIndex}.json`;
      await context.storageState({ path: file });
      await context.dispose();
      await use(file);
    },
    { scope: 'worker' },
  ],
});

export { expect, base };

/** Registers a learner for the chainsaw credential's first open intake, as a browser
 *  without JavaScript would; returns the reference. */
export async function registerLearner(
  request: import('@playwright/test').APIRequestContext,
  baseURL: string,
  intake: string,
  who: { given: string; family: string; email: string },
) {
  const slug = 'demonstrate-basic-chainsaw-operation';
  const res = await request.post(`/credentials/${slug}/register`, {
    form: {
      intake, given_name: who.given, family_name: who.family, email: who.email, phone: '021 000 1111',
      employer: '', region: 'Gisborne', nsn: '', date_of_birth: '1991-03-04', consent: 'on',
    },
    headers: { origin: baseURL },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  return res.headers()['location'].split('/')[2].split('?')[0];
}
