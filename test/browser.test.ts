// The whole flow in a real browser, offline: the login page, the stand-in sign-in popup,
// POST /gconnect, the welcome and the home page. Skipped, with the reason, without Chromium;
// CI installs it, so CI always runs these.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, startKit, type RunningKit } from '#checker';
import { listSteps } from '#kit/manifest.ts';

// In CI a missing Chromium is a failure, not a skip: .ci/run installs it.
const missing = process.env.CI ? null : chromiumMissing();
const lastStep = listSteps().at(-1)!;

describe(`sign in from Chromium (${lastStep.name})`, { skip: missing ?? false, concurrency: true }, () => {
  let browser: Browser;
  let kit: RunningKit;
  before(async () => {
    [browser, kit] = await Promise.all([launchChromium(), startKit(lastStep.dir)]);
  });
  after(async () => {
    await Promise.all([browser?.close(), kit?.close()]);
  });

  // The pages move on by timers (the welcome goes home after 3 s, the signed-out page reloads
  // after 1.5 s). On a busy machine a real 3 s can pass between two lines of a test, so the
  // tests hold the pages' clock and move it on themselves: what a page shows never depends on
  // how fast the machine is.
  const clockStart = Date.parse('2026-01-01T00:00:00Z');

  /**
   * Opens /login in a new browser context and clicks the button; returns the page and popup.
   * With `holdTimers` (the default) the pages' timers fire only when the test runs the clock.
   */
  async function openSignIn({ holdTimers = true } = {}): Promise<{ page: Page; popup: Page }> {
    const context = await browser.newContext();
    if (holdTimers) await context.clock.install({ time: clockStart });
    const page = await context.newPage();
    await page.goto(`${kit.base}/login`);
    // Paused an hour later than it started: the page has loaded, and no timer fires from now on.
    if (holdTimers) await page.clock.pauseAt(clockStart + 3_600_000);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#signin')]);
    await popup.waitForLoadState();
    return { page, popup };
  }

  /** Picks a scenario in the sign-in window, which closes itself as it answers. */
  async function choose(popup: Page, code: string): Promise<void> {
    const closed = popup.waitForEvent('close');
    // The click may race the window's own close; that close is the success being awaited.
    await popup.click(`button[data-code="${code}"]`, { noWaitAfter: true }).catch((err: unknown) => {
      if (!popup.isClosed()) throw err;
    });
    await closed;
  }

  it('Alice signs in with two clicks: welcome with her avatar, then / shows her and the flash once', async () => {
    const { page, popup } = await openSignIn();
    assert.match((await popup.textContent('#stand-in')) ?? '', /Offline stand-in for Google's sign-in window/);
    await choose(popup, '4/fixture-alice');
    await page.waitForSelector('#result h1');
    assert.match(String(await page.textContent('#result h1')), /^Welcome( back)?, Alice Liddell!$/);
    // Locators, not page-side code in strings: the CSP refuses to eval strings (no unsafe-eval).
    const avatar = page.locator('#result img.avatar');
    await avatar.waitFor();
    const loaded = await avatar.evaluate((element) => {
      const img = element as unknown as { complete: boolean; naturalWidth: number };
      return img.complete && img.naturalWidth > 0;
    });
    assert.ok(loaded, 'the avatar loaded');
    // The welcome takes the sign-in block's place, and says where the page goes next.
    assert.equal(await page.locator('#signin-block').isVisible(), false, 'the sign-in button is gone');
    assert.match((await page.textContent('#result')) ?? '', /Taking you to the home page… Go now$/);
    // The welcome stays 3 s, then the home page comes.
    await page.clock.runFor(2_999);
    assert.equal(page.url(), `${kit.base}/login`, 'still on the welcome after 2.999 s');
    await Promise.all([page.waitForURL(`${kit.base}/`), page.clock.runFor(1)]);
    assert.equal(await page.textContent('ul.flash li'), 'you are now logged in as Alice Liddell');
    assert.match((await page.textContent('#signed-in')) ?? '', /Signed in as Alice Liddell \(alice@example\.com\)/);
    await page.reload();
    assert.equal(await page.locator('ul.flash').count(), 0);
    await page.context().close();
  });

  it('signed out, /notes/new: the login page, sign-in, back on /notes/new, a note posted and listed', async () => {
    const context = await browser.newContext();
    await context.clock.install({ time: clockStart });
    const page = await context.newPage();
    await page.goto(`${kit.base}/notes/new`);
    assert.equal(page.url(), `${kit.base}/login?next=%2Fnotes%2Fnew`, 'the guard sent the browser to sign in');
    await page.clock.pauseAt(clockStart + 3_600_000);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#signin')]);
    await popup.waitForLoadState();
    await choose(popup, '4/fixture-alice');
    await page.waitForSelector('#result h1');
    assert.match((await page.textContent('#result')) ?? '', /Taking you back… Go now$/);
    await Promise.all([page.waitForURL(`${kit.base}/notes/new`), page.clock.runFor(3_000)]);
    assert.equal(await page.textContent('ul.flash li'), 'you are now logged in as Alice Liddell');
    const text = `Posted from Chromium ${randomUUID()}`;
    await page.fill('#text', text);
    await Promise.all([page.waitForURL(`${kit.base}/notes`), page.click('#note-form button[type="submit"]')]);
    assert.equal(await page.textContent('ul.flash li'), 'Your note is posted.');
    const newest = page.locator('#notes li.note').first();
    assert.equal(await newest.locator('p.text').textContent(), text);
    assert.equal(await newest.locator('p.author strong').textContent(), 'Alice Liddell');
    await context.close();
  });

  it('"Other client" shows the 401 message and nobody is signed in; trying again, without a reload, signs Alice in', async () => {
    const { page, popup } = await openSignIn();
    const spent = await page.getAttribute('#signin', 'data-state');
    await choose(popup, '4/fixture-other-client');
    await page.locator('#result', { hasText: 'Sign-in failed' }).waitFor();
    assert.equal(await page.textContent('#result'), "Sign-in failed (401): Token's client ID does not match app's.");
    // The page fetches a fresh state for the next try: the one it sent is spent.
    await page.locator(`#signin:not([data-state="${spent}"])`).waitFor();
    const [again] = await Promise.all([page.waitForEvent('popup'), page.click('#signin')]);
    await again.waitForLoadState();
    await choose(again, '4/fixture-alice');
    await page.waitForSelector('#result h1');
    assert.match(String(await page.textContent('#result h1')), /^Welcome( back)?, Alice Liddell!$/);
    await page.context().close();
  });

  it('nobody is signed in after a failed sign-in', async () => {
    const { page, popup } = await openSignIn();
    await choose(popup, '4/fixture-other-client');
    await page.locator('#result', { hasText: 'Sign-in failed' }).waitFor();
    await page.goto(`${kit.base}/`);
    assert.equal(await page.textContent('#signed-out'), 'Nobody is signed in.');
    await page.context().close();
  });

  it('Alice signs out from the home page: "Successfully disconnected.", then nobody is signed in', async () => {
    const { page, popup } = await openSignIn();
    await choose(popup, '4/fixture-alice');
    await page.waitForSelector('#result h1');
    await Promise.all([page.waitForURL(`${kit.base}/`), page.clock.runFor(3_000)]);
    await page.click('#signout');
    await page.locator('#result', { hasText: 'Successfully disconnected.' }).waitFor();
    // The page shows the answer for 1.5 s, then reloads, signed out.
    await Promise.all([page.waitForEvent('load'), page.clock.runFor(1_500)]);
    await page.locator('#signed-out').waitFor();
    assert.equal(await page.textContent('#signed-out'), 'Nobody is signed in.');
    await page.context().close();
  });

  it('closing the sign-in window says so', async () => {
    // The sign-in script notices a closed window by its own timers: let them run.
    const { page, popup } = await openSignIn({ holdTimers: false });
    await popup.close();
    await page.locator('#result', { hasText: /\S/ }).waitFor();
    assert.equal(await page.textContent('#result'), 'The sign-in window was closed before an account was chosen.');
    await page.context().close();
  });

  it("Mallory's name shows as text, and no script of hers runs", async () => {
    const { page, popup } = await openSignIn();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await choose(popup, '4/fixture-mallory');
    await page.waitForSelector('#result h1');
    assert.match(String(await page.textContent('#result h1')), /^Welcome( back)?, <script>alert\(1\)<\/script>!$/);
    // Her picture URL carries the quotes in its query: escaped, it still loads.
    const loaded = await page.locator('#result img.avatar').evaluate((element) => {
      const img = element as unknown as {
        complete: boolean;
        naturalWidth: number;
        addEventListener(type: string, listener: () => void): void;
      };
      if (img.complete) return img.naturalWidth > 0;
      return new Promise<boolean>((done) => {
        img.addEventListener('load', () => done(true));
        img.addEventListener('error', () => done(false));
      });
    });
    assert.ok(loaded, "Mallory's avatar loaded");
    await Promise.all([page.waitForURL(`${kit.base}/`), page.clock.runFor(3_000)]);
    assert.deepEqual(dialogs, []);
    await page.context().close();
  });
});
