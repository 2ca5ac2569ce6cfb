import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DEMO_AUDIENCE, DEMO_ISSUER, DemoKey } from '../../src/auth/demo-key';
import { startTestGateway } from '../helpers/gateway';

describe('demo key', () => {
  test('is created once in STATE_DIR, and its tokens pass the production verification', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'demo-key-'));
    const key = await DemoKey.open(stateDir);
    expect((await DemoKey.open(stateDir)).kid).toBe(key.kid);
    const gw = await startTestGateway({
      stateDir,
      env: { AUTH_JWKS_FILE: key.jwksFile, AUTH_ISSUER: DEMO_ISSUER, AUTH_AUDIENCE: DEMO_AUDIENCE },
    });
    try {
      const viewer = await key.sign({ role: 'viewer', tenants: ['acme'] }, gw.config.auth);
      const ok = await gw.gqlRaw('{ upstreams { upstream } }', {}, { authorization: `Bearer ${viewer}` });
      expect(ok.status).toBe(200);
      // The helper's default token is signed by another key: refused.
      expect((await gw.gqlRaw('{ upstreams { upstream } }')).status).toBe(401);
    } finally {
      await gw.stop();
    }
  });
});

describe('the demo playground', () => {
  test('opens with a freshly minted token in its headers, which the gateway accepts', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'demo-playground-'));
    const key = await DemoKey.open(stateDir);
    const auth = { rolesClaim: 'roles', tenantsClaim: 'tenants' };
    const gw = await startTestGateway({
      stateDir,
      env: { AUTH_JWKS_FILE: key.jwksFile, AUTH_ISSUER: DEMO_ISSUER, AUTH_AUDIENCE: DEMO_AUDIENCE },
      playgroundHeaders: async () => ({
        authorization: `Bearer ${await key.sign({ role: 'administrator', subject: 'demo-playground' }, auth)}`,
      }),
    });
    try {
      const html = await (await fetch(gw.url, { headers: { accept: 'text/html' } })).text();
      const token = /Bearer (eyJ[\w-]+\.[\w-]+\.[\w-]+)/.exec(html)?.[1];
      expect(token).toBeDefined();
      const answer = await gw.gqlRaw('{ upstreams { upstream } }', {}, { authorization: `Bearer ${token}` });
      expect(answer.status).toBe(200);
    } finally {
      await gw.stop();
    }
  });
});
