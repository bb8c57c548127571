// npm run screenshots (a maintainer's tool): the login page, the offline sign-in window, the
// welcome and the signed-in home page, as a learner sees them in the last step, into
// tutorial/images/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { argsOrExit, exitWithUsage } from '#kit/cli.ts';
import { listSteps, ROOT } from '#kit/manifest.ts';
import { chromiumMissing, launchChromium, startKit } from '#checker';

const USAGE = 'npm run screenshots';
const { words } = argsOrExit({ usage: USAGE, command: USAGE, options: {}, ownWord: () => false });
if (words.length > 0) exitWithUsage(`Unexpected argument ${words[0]}.`, USAGE);

const missing = chromiumMissing();
if (missing) {
  console.error(`error: ${missing}`);
  process.exit(1);
}
const out = join(ROOT, 'tutorial', 'images');
mkdirSync(out, { recursive: true });

const [browser, kit] = await Promise.all([launchChromium(), startKit(listSteps().at(-1)!.dir)]);
try {
  const page = await browser.newPage({ viewport: { width: 720, height: 420 } });
  // The welcome moves on by itself after 3 s: hold the page's clock so that a slow machine
  // still photographs it, and move the clock on once it is taken.
  const start = Date.parse('2026-01-01T00:00:00Z');
  await page.clock.install({ time: start });
  await page.goto(`${kit.base}/login`);
  await page.clock.pauseAt(start + 3_600_000);
  await page.screenshot({ path: join(out, 'login.png') });

  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#signin')]);
  await popup.setViewportSize({ width: 480, height: 860 });
  await popup.waitForLoadState();
  await popup.screenshot({ path: join(out, 'consent.png') });

  // The popup closes itself as it answers: the click may race that close.
  await popup.click('button[data-code="4/fixture-alice"]', { noWaitAfter: true }).catch(() => undefined);
  // Locators, not page code in strings: the pages' CSP refuses to evaluate strings.
  const avatar = page.locator('#result img.avatar');
  await avatar.waitFor();
  await avatar.evaluate((element) => {
    const img = element as unknown as { complete: boolean; decode(): Promise<void> };
    return img.complete ? undefined : img.decode();
  });
  await page.setViewportSize({ width: 720, height: 620 });
  await page.screenshot({ path: join(out, 'welcome.png') });

  await Promise.all([page.waitForURL(`${kit.base}/`), page.clock.runFor(3_000)]);
  await page.locator('#signout').waitFor();
  await page.screenshot({ path: join(out, 'home.png') });
  console.log(`wrote login.png, consent.png, welcome.png and home.png in ${out}`);
} finally {
  await Promise.all([browser.close(), kit.close()]);
}
