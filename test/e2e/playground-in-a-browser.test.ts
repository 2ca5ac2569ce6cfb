import { chromiumPath, launchBrowser } from '../helpers/browser';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { startMdrSimulator } from '../../src/upstreams/mdr/simulator';
import type { MdrSimulator } from '../../src/upstreams/mdr/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { mdrSettings } from '../helpers/mdr';

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

describeWithBrowser('the playground runs subscriptions in a real browser', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;
  beforeAll(async () => {
    sim = await startMdrSimulator({ scale: 0.02 });
    gw = await startTestGateway({
      mdr: mdrSettings(sim, 'administrator'),
      env: { LIVE_MDR_POLL_MS: '100' },
      playgroundHeaders: async () => gw.as({ role: 'viewer', tenants: ['*'] }),
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  test('a live incident arrives on the page over GraphQL over WebSocket', async () => {
    const browser = await launchBrowser(executable!);
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(String(error)));
      const subscription = 'subscription Live { incidentChanged { kind incident { incidentNumber summary } } }';
      await page.goto(`${gw.url}#query=${encodeURIComponent(subscription)}`);
      await page.waitForSelector('.graphiql-container');
      await page.click('.graphiql-execute-button');
      const started = Date.now();
      while (gw.live.activeFeeds === 0 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
      const incident = sim.createIncident({ summary: 'Live from the playground test' });
      await page.waitForFunction(
        (n) => (globalThis as any).document.querySelector('.result-window')?.textContent?.includes(String(n)),
        incident.incident_number,
      );
      const result = await page.textContent('.result-window');
      expect(result).toContain('"kind": "CREATED"');
      expect(result).toContain('Live from the playground test');
      const artifacts = path.join(__dirname, '..', '..', 'test-artifacts');
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: path.join(artifacts, 'playground-live-incident.png') });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
