import { chromiumPath, launchBrowser } from '../helpers/browser';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

const executable = chromiumPath();
// CI installs Chromium (.ci/run); elsewhere the suite says why it did not run instead of failing.
const describeWithBrowser = executable || process.env.CI ? describe : describe.skip;

describeWithBrowser('the playground in a real browser', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ playgroundHeaders: async () => gw.as({ role: 'viewer' }) });
  });
  afterAll(() => gw?.stop());

  test('loads from this server only, runs the example query with the pre-filled token, and logs no error', async () => {
    expect(executable).toBeDefined();
    const browser = await launchBrowser(executable!);
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const foreign: string[] = [];
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      page.on('request', (request) => !request.url().startsWith(gw.origin) && foreign.push(request.url()));

      await page.goto(gw.url);
      await page.waitForSelector('.graphiql-container');
      await page.click('.graphiql-execute-button');
      // Runs in the page, where `document` exists (this project compiles without the DOM library).
      await page.waitForFunction(() =>
        (globalThis as any).document.querySelector('.result-window')?.textContent?.includes('"upstreams"'),
      );
      const result = await page.textContent('.result-window');

      expect(result).toContain('"upstream": "MDR"');
      expect(result).not.toContain('UNAUTHENTICATED');
      expect(foreign).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
