import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { outputUntil } from '../helpers/processes';

const root = path.join(__dirname, '..', '..');
const { PATH, HOME } = process.env;
const children: ChildProcessWithoutNullStreams[] = [];

/** `npm run simulate` and `npm start` are "build if needed, then node dist/…": this suite runs the built CLIs. */
beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-if-needed.mjs')], { cwd: root, stdio: 'ignore' });
}, 180_000);

afterAll(async () => {
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        return exited;
      }),
  );
});

function run(script: string, env: Record<string, string>): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [path.join(root, script)], { cwd: root, env: { PATH, HOME, ...env } });
  children.push(child);
  return child;
}

/** POSIX shell words of a command line: backslash-newline continuations, single quotes, backslash escapes. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  const pattern = /'([^']*)'|\\(\n|.)|(\s+)|([^'\\\s]+)/g;
  let word: string | undefined;
  for (const [, quoted, escaped, space, bare] of command.matchAll(pattern)) {
    if (space !== undefined) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (escaped !== '\n') {
      word = (word ?? '') + (quoted ?? escaped ?? bare);
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The `NAME=value` settings of the printed `… npm start` command. */
function gatewaySettings(printed: string): Record<string, string> {
  const command = /^ {2}STATE_DIR=[\s\S]*?npm start$/m.exec(printed)?.[0];
  if (!command) throw new Error(`no gateway command in:\n${printed}`);
  const words = shellWords(command);
  if (words.slice(-2).join(' ') !== 'npm start') throw new Error(`the command does not end in npm start: ${command}`);
  return Object.fromEntries(
    words.slice(0, -2).map((word) => {
      const [, name, value] = /^([A-Z][A-Z0-9_]*)=(.*)$/s.exec(word) ?? [];
      if (name === undefined || value === undefined) throw new Error(`not a setting: ${word}`);
      return [name, value];
    }),
  );
}

async function upstreams(url: string, token: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.trim()}` },
    body: JSON.stringify({ query: '{ upstreams { upstream configured reachable } }' }),
  });
  return { status: response.status, body: await response.json() };
}

const ALL_REACHABLE = {
  status: 200,
  body: {
    data: {
      upstreams: [
        { upstream: 'MDR', configured: true, reachable: true },
        { upstream: 'KSC', configured: true, reachable: true },
        { upstream: 'KATA', configured: true, reachable: true },
      ],
    },
  },
};

describe('npm run simulate', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'simulate-cli-'));
  let printed: string;
  let settings: Record<string, string>;
  let banner: string;
  let url: string;

  beforeAll(async () => {
    printed = await outputUntil(run('dist/cli/simulate.js', { STATE_DIR: stateDir }), /npm run -s token[^\n]*\n/);
    settings = gatewaySettings(printed);
    // `npm start` is build-if-needed (done above) and then this; PORT=0 only so parallel runs never collide.
    banner = await outputUntil(
      run('dist/main.js', { ...settings, PORT: '0', LOG_LEVEL: 'warn' }),
      /GraphQL\s+http:\/\/\S+\n/,
    );
    url = /GraphQL\s+(http:\/\/\S+)/.exec(banner)![1]!;
  }, 60_000);

  test('writes simulators.json with every field docs/operations.md lists, and keeps the secrets out of its output', () => {
    const info = JSON.parse(readFileSync(path.join(stateDir, 'simulators.json'), 'utf8'));
    const text = expect.any(String);
    expect(info).toEqual({
      mdr: {
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/),
        clientId: text,
        connections: expect.arrayContaining([
          { name: text, role: 'administrator', tenants: [], refreshToken: text },
          { name: text, role: 'senior_security_officer', tenants: [], refreshToken: text },
          { name: text, role: 'security_officer', tenants: [], refreshToken: text },
          { name: text, role: 'administrator', tenants: [text], refreshToken: text },
        ]),
      },
      ksc: { url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/), username: text, password: text, caFile: text },
      kata: {
        url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
        externalSystemId: text,
        certFile: text,
        keyFile: text,
        caFile: text,
      },
    });
    for (const file of [info.ksc.caFile, info.kata.certFile, info.kata.keyFile, info.kata.caFile])
      expect(existsSync(file)).toBe(true);
    for (const secret of [
      info.ksc.password,
      ...info.mdr.connections.map((c: { refreshToken: string }) => c.refreshToken),
    ]) {
      expect(printed).not.toContain(secret);
    }
  });

  test('the gateway started with the printed settings, called with a token from the printed command, reaches all three upstreams', async () => {
    expect(Object.keys(settings)).toEqual(
      expect.arrayContaining([
        'STATE_DIR',
        'MDR_URL',
        'KSC_URL',
        'KATA_URL',
        'AUTH_JWKS_FILE',
        'AUTH_ISSUER',
        'AUTH_AUDIENCE',
      ]),
    );
    expect(banner).not.toContain('Demo mode');
    const tokenCommand = /^ {2}(.*npm run -s token -- --role administrator)$/m.exec(printed)?.[1];
    expect(tokenCommand).toBeDefined();
    const { stdout: token } = await promisify(execFile)('sh', ['-c', tokenCommand!], {
      cwd: root,
      env: { PATH, HOME },
    });
    expect(await upstreams(url, token)).toEqual(ALL_REACHABLE);
  });

  test('the token command also signs in a shell holding the gateway settings (AUTH_JWKS_FILE names the demo key set)', async () => {
    const { stdout: token } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'dist', 'cli', 'token.js'), '--role', 'viewer'],
      {
        cwd: root,
        env: { PATH, HOME, ...settings },
      },
    );
    expect(await upstreams(url, token)).toEqual(ALL_REACHABLE);
  });
});
