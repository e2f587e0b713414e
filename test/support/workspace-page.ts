import type { Page } from 'playwright-core';

/** The number of events the Logs footer says the current search holds (0 before it says). */
export async function footerCount(page: Page): Promise<number> {
  const text = (await page.locator('.log-footer').textContent()) ?? '';
  const match = /([\d,]+) events/.exec(text);
  return match ? Number(match[1]?.replaceAll(',', '')) : 0;
}

/**
 * Records the notifications the page asks for instead of showing them (headless Chromium shows
 * none): call before the page loads; `notificationTitles` reads them back.
 */
export async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    (globalThis as unknown as { __notifications: typeof shown }).__notifications = shown;
    class RecordedNotification {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      onclick: (() => void) | null = null;
      constructor(title: string, options?: { body?: string }) {
        shown.push({ title, body: options?.body ?? '' });
      }
    }
    (globalThis as unknown as { Notification: unknown }).Notification = RecordedNotification;
  });
}

export function recordedNotifications(page: Page): Promise<{ title: string; body: string }[]> {
  return page.evaluate(
    () => (globalThis as unknown as { __notifications: { title: string; body: string }[] }).__notifications,
  );
}
