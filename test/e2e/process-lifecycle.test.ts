import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { tempStateDir } from '../helpers/gateway';

const root = path.join(__dirname, '..', '..');

/** `npm start` is "build if needed, then node dist/main.js": this suite runs exactly that. */
beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-if-needed.mjs')], { cwd: root, stdio: 'ignore' });
}, 180_000);

function startProcess(env: Record<string, string>): ChildProcessWithoutNullStreams {
  const { PATH, HOME } = process.env;
  return spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
    cwd: root,
    env: { PATH, HOME, LOG_LEVEL: 'warn', ...env },
  });
}

async function failedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = startProcess({ STATE_DIR: tempStateDir(), PORT: '0', SIM_SCALE: '0.05', ...env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

async function output(child: ChildProcessWithoutNullStreams, until: RegExp): Promise<string> {
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  for (;;) {
    if (until.test(text)) return text;
    const [code] = await Promise.race([once(child, 'exit'), once(child.stdout, 'data')]);
    if (typeof code === 'number' || code === null) return text;
  }
}

describe('the gateway process', () => {
  test('loads graphql in production mode unless NODE_ENV says otherwise', async () => {
    // What NODE_ENV is when graphql is first required: graphql-js picks its build at that moment.
    const probe = `
      const Module = require('node:module');
      const load = Module._load;
      let seen = 'never loaded';
      Module._load = function (request, ...rest) {
        if (seen === 'never loaded' && /^graphql(\\/|$)/.test(request)) seen = String(process.env.NODE_ENV);
        return load.call(this, request, ...rest);
      };
      process.on('exit', () => process.stdout.write('graphql loaded under NODE_ENV=' + seen + '\\n'));
      require(${JSON.stringify(path.join(root, 'dist', 'main.js'))});
    `;
    const run = async (env: Record<string, string>) => {
      const { PATH, HOME } = process.env;
      // PORT=x: a bad setting, so the process stops right after loading its modules.
      const child = spawn(process.execPath, ['-e', probe], { cwd: root, env: { PATH, HOME, PORT: 'x', ...env } });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await once(child, 'exit');
      return out;
    };
    expect(await run({})).toContain('graphql loaded under NODE_ENV=production');
    expect(await run({ NODE_ENV: 'development' })).toContain('graphql loaded under NODE_ENV=development');
  }, 60_000);

  test('with no upstream configured, starts the simulators, says so, serves, and stops cleanly on SIGTERM', async () => {
    const child = startProcess({ STATE_DIR: tempStateDir(), PORT: '0', SIM_SCALE: '0.05' });
    const banner = await output(child, /Callers need a bearer token[\s\S]*npm run/);
    expect(banner).toContain('Demo mode');
    const url = /GraphQL\s+(http:\/\/\S+)/.exec(banner)?.[1];
    expect(url).toBeDefined();
    const origin = new URL(url!).origin;

    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const page = await (await fetch(url!, { headers: { accept: 'text/html' } })).text();
    const token = /Bearer ([A-Za-z0-9._-]+)/.exec(page.replace(/&quot;/g, '"'))?.[1];
    expect(token).toBeDefined();
    const response = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ upstreams { upstream configured reachable } }' }),
    });
    expect(await response.json()).toEqual({
      data: {
        upstreams: [
          { upstream: 'MDR', configured: true, reachable: true },
          { upstream: 'KSC', configured: true, reachable: true },
          { upstream: 'KATA', configured: true, reachable: true },
        ],
      },
    });
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 60_000);

  test('listening beyond loopback, the demo playground carries no token, and the banner says why', async () => {
    const child = startProcess({ STATE_DIR: tempStateDir(), PORT: '0', HOST: '0.0.0.0', SIM_SCALE: '0.05' });
    try {
      const banner = await output(child, /Callers need a bearer token[\s\S]*npm run/);
      expect(banner).toContain('HOST=0.0.0.0 is reachable from other machines');
      const port = new URL(/GraphQL\s+(http:\/\/\S+)/.exec(banner)![1]!).port;
      const page = await (await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } })).text();
      expect(page).toContain('graphiql');
      expect(page).not.toMatch(/Bearer|eyJ/);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 60_000);

  test('AUTH_DISABLED=true with HOST=0.0.0.0: the banner and the log warn that every caller is an administrator, and it listens on loopback', async () => {
    const child = startProcess({
      STATE_DIR: tempStateDir(),
      PORT: '0',
      HOST: '0.0.0.0',
      SIM_SCALE: '0.05',
      AUTH_DISABLED: 'true',
    });
    try {
      const printed = await output(child, /WARNING: AUTH_DISABLED=true[^\n]*\n/);
      expect(printed).toContain(
        '  WARNING: AUTH_DISABLED=true: every caller is an anonymous administrator (loopback only).',
      );
      const warning = printed
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .find((line) => line.level === 'warn');
      expect(warning).toMatchObject({
        msg: 'AUTH_DISABLED=true: every caller is an anonymous administrator; listening on loopback only',
        host: '127.0.0.1',
        configuredHost: '0.0.0.0',
      });
      expect(printed).not.toContain('Callers need a bearer token');
      const url = /GraphQL\s+(http:\/\/\S+)/.exec(printed)![1]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ upstreams { upstream } }' }),
      });
      expect(response.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 60_000);

  test.each([
    [{ MDR_URL: 'mdr.example' }, 'gateway: Invalid setting MDR_URL: "mdr.example" is not a URL.'],
    [
      { KATA_URL: 'https://kata.example', KATA_EXTERNAL_SYSTEM_ID: 'x', KATA_CERT_FILE: '/nonexistent.pem' },
      'gateway: Invalid setting KATA_CERT_FILE: the file /nonexistent.pem does not exist.',
    ],
    [
      { MDR_URL: 'https://mdr.example/api/v1', MDR_CLIENT_ID: 'c', MDR_REFRESH_TOKEN_FILE: '/nonexistent/token' },
      'gateway: Invalid setting MDR_REFRESH_TOKEN_FILE: the file /nonexistent/token does not exist.',
    ],
  ])('bad settings stop the start with one line naming the setting (%j)', async (env, line) => {
    const child = startProcess({ STATE_DIR: tempStateDir(), PORT: '0', ...env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(line);
  });

  describe('settings found bad only while starting stop it with one line naming the setting, no stack', () => {
    const notPem = path.join(tempStateDir(), 'not-a-certificate.txt');
    writeFileSync(notPem, 'this is a note, not a CA bundle\n');
    const mdr = { MDR_URL: 'https://mdr.example/api/v1', MDR_CLIENT_ID: 'c', MDR_REFRESH_TOKEN: 'refresh-secret' };
    const ksc = { KSC_URL: 'https://ksc.example:13299', KSC_USERNAME: 'api', KSC_PASSWORD: 'password-secret' };
    const kata = {
      KATA_URL: 'https://kata.example',
      KATA_EXTERNAL_SYSTEM_ID: 'x',
      KATA_CERT_FILE: notPem,
      KATA_KEY_FILE: notPem,
    };

    async function expectOneLine(env: Record<string, string>, line: RegExp): Promise<void> {
      const { code, stderr } = await failedStart(env);
      expect(code).toBe(1);
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
      expect(stderr).not.toMatch(/refresh-secret|password-secret/);
    }

    test('HOST that is no address of this machine', async () => {
      await expectOneLine(
        { HOST: '999.1.1.1' },
        /^gateway: Invalid setting HOST: cannot listen on 999\.1\.1\.1 \(getaddrinfo [A-Z_]+\)\.$/,
      );
    }, 60_000);

    test('PORT already in use', async () => {
      const taken = net.createServer();
      await once(taken.listen(0, '127.0.0.1'), 'listening');
      const { port } = taken.address() as AddressInfo;
      try {
        await expectOneLine(
          { HOST: '127.0.0.1', PORT: String(port) },
          new RegExp(
            `^gateway: Invalid setting PORT: 127\\.0\\.0\\.1:${port} is already in use \\(EADDRINUSE\\); choose another PORT or HOST\\.$`,
          ),
        );
      } finally {
        taken.close();
      }
    }, 60_000);

    test('STATE_DIR that is a regular file', async () => {
      const file = path.join(tempStateDir(), 'state');
      writeFileSync(file, '');
      await expectOneLine(
        { STATE_DIR: file },
        /^gateway: Invalid setting STATE_DIR: cannot create .*\/state: it exists and is not a directory \(EEXIST\)\.$/,
      );
    });

    test('STATE_DIR that cannot be created (a file in its path, so root fails too)', async () => {
      const file = path.join(tempStateDir(), 'file');
      writeFileSync(file, '');
      await expectOneLine(
        { STATE_DIR: path.join(file, 'state') },
        /^gateway: Invalid setting STATE_DIR: cannot create .*\/file\/state: a part of the path is a file, not a directory \(ENOTDIR\)\.$/,
      );
    });

    test('STATE_DIR that MDR would keep its rotated refresh token in', async () => {
      const file = path.join(tempStateDir(), 'state');
      writeFileSync(file, '');
      await expectOneLine(
        { ...mdr, STATE_DIR: file },
        /^gateway: Invalid setting STATE_DIR: cannot create .*: it exists and is not a directory \(EEXIST\)\.$/,
      );
    });

    test.each([
      ['MDR_CA_FILE', { ...mdr, MDR_CA_FILE: notPem }],
      ['KSC_CA_FILE', { ...ksc, KSC_CA_FILE: notPem }],
      ['KATA_CA_FILE', { ...kata, KATA_CA_FILE: notPem }],
    ])('%s that holds no PEM certificate', async (setting, env) => {
      await expectOneLine(
        env,
        new RegExp(`^gateway: Invalid setting ${setting}: the file does not hold a PEM certificate\\.$`),
      );
    });
  });
});
