import { execFileSync } from 'node:child_process';
import { ready, checkPage, operator } from './fixtures';
import { test, expect } from './coordinator';

// A refused invitation answers 422 (with JavaScript), which Chromium logs as a console error.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 422/] });

/** An employer organisation with a coordinator, made as an operator would. */
function employer(org: string, email: string) {
  const { bin, db } = operator();
  execFileSync(
    bin,
    ['user', 'add', '--email', email, '--name', 'Kiri Walker', '--role', 'employer', '--org', org, '--link'],
    { env: { ...process.env, DATABASE_URL: db, RUST_LOG: 'warn' }, stdio: 'pipe' },
  );
}

test('a provider cannot invite anyone into an existing employer by typing its name', async ({ page, javaScriptEnabled }, info) => {
  const tag = `${info.project.name.replace(/\W/g, '')}${Date.now()}`;
  const org = `Kauri Crew ${tag}`;
  employer(org, `kiri.${tag}@example.co.nz`);

  await page.goto('/dashboard/users');
  await expect(page.getByRole('heading', { level: 1, name: 'Coordinator accounts' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  const fill = async (name: string) => {
    await page.getByLabel('Name', { exact: true }).fill('Tame Intruder');
    await page.getByLabel('Email').fill(`tame.${tag}@example.co.nz`);
    await page.getByLabel(/Their employer/).fill(name);
  };
  // The existing employer's name, spelt loosely: refused at its field, nobody invited.
  await fill(`  ${org.toUpperCase()} `);
  await page.getByRole('button', { name: 'Send the invitation' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Nobody was invited' });
  await expect(summary).toContainText('An organisation with that name already exists: ask an administrator to add this person.');
  await expect(page.locator('#organisation-error')).toContainText('ask an administrator');
  if (javaScriptEnabled) {
    await expect(summary).toBeFocused();
    await expect(page.getByLabel('Email')).toHaveValue(`tame.${tag}@example.co.nz`);
  }
  await ready(page, javaScriptEnabled);
  await checkPage(page, info.project.name);

  // A new employer's name is taken: invited, and listed as one the provider manages.
  await fill(`Tōtara Crew ${tag}`);
  await page.getByRole('button', { name: 'Send the invitation' }).click();
  const row = page.getByRole('row').filter({ hasText: `tame.${tag}@example.co.nz` });
  await expect(row).toContainText(`Tōtara Crew ${tag}`);
  await expect(row).toContainText('Invited (no password yet)');
});
