// npm run screenshots (a maintainer's tool): the login page, the offline sign-in window and the
// welcome, as a learner sees them in the last step, into tutorial/images/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { listSteps, ROOT } from '#shared/steps.ts';
import { chromiumMissing, launchChromium, startKit } from '#harness';

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
  await page.goto(`${kit.base}/login`);
  await page.screenshot({ path: join(out, 'login.png') });

  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#signin')]);
  await popup.setViewportSize({ width: 480, height: 860 });
  await popup.waitForLoadState();
  await popup.screenshot({ path: join(out, 'consent.png') });

  await popup.click('button[data-code="4/fixture-alice"]');
  await page.waitForFunction("document.querySelector('#result img.avatar')?.complete === true");
  await page.setViewportSize({ width: 720, height: 620 });
  await page.screenshot({ path: join(out, 'welcome.png') });
  console.log(`wrote login.png, consent.png and welcome.png in ${out}`);
} finally {
  await Promise.all([browser.close(), kit.close()]);
}
