import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load';
import { ensureKataCertificates } from '../../src/upstreams/kata/simulator/certificates';

const dir = mkdtempSync(path.join(tmpdir(), 'config-'));

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted bad settings');
}

describe('loadConfig', () => {
  test('with no upstream configured, runs in demo mode with documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ demo: true, port: 4000, host: '127.0.0.1', introspection: true, mdr: undefined });
    expect(config).toMatchObject({ executor: 'compiled', compileAfter: 1 });
    expect(config.limits).toMatchObject({ maxAliases: 30, maxDirectives: 20, maxFieldRepeats: 50, maxTokens: 2_000 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('reads secrets from *_FILE, trimming the trailing newline', () => {
    const file = path.join(dir, 'refresh-token');
    writeFileSync(file, 'eyJ.secret.token\n');
    const config = loadConfig({
      MDR_URL: 'https://mdr.example/api/v1/',
      MDR_CLIENT_ID: 'c1',
      MDR_REFRESH_TOKEN_FILE: file,
    });
    expect(config.mdr).toEqual({
      url: 'https://mdr.example/api/v1',
      clientId: 'c1',
      refreshToken: 'eyJ.secret.token',
      refreshTokenFile: file,
      rotationLockMs: 15_000,
      ca: undefined,
    });
    expect(config.demo).toBe(false);
    expect(config.introspection).toBe(false);
  });

  test.each([
    [{ MDR_URL: 'not a url' }, 'MDR_URL', 'Invalid setting MDR_URL: "not a url" is not a URL.'],
    [{ KSC_URL: 'ftp://ksc.example' }, 'KSC_URL', 'Invalid setting KSC_URL: must be an http(s) URL, got "ftp:".'],
    [{ MDR_URL: 'https://mdr.example/api/v1' }, 'MDR_CLIENT_ID', 'Invalid setting MDR_CLIENT_ID: is required.'],
    [
      { KATA_URL: 'https://kata.example', KATA_EXTERNAL_SYSTEM_ID: 'x', KATA_CERT_FILE: '/nonexistent/cert.pem' },
      'KATA_CERT_FILE',
      'Invalid setting KATA_CERT_FILE: the file /nonexistent/cert.pem does not exist.',
    ],
    [
      { REDIS_URL: 'http://redis.example:6379' },
      'REDIS_URL',
      'Invalid setting REDIS_URL: must be a redis:// or rediss:// URL, got "http:".',
    ],
    [
      { REDIS_URL: 'redis://:s3cret@' },
      'REDIS_URL',
      'Invalid setting REDIS_URL: is not a URL (redis://host:port or rediss://host:port).',
    ],
    [{ PORT: '70000' }, 'PORT', 'Invalid setting PORT: must be a number from 0 to 65535, got "70000".'],
    [{ AUTH_DISABLED: 'maybe' }, 'AUTH_DISABLED', 'Invalid setting AUTH_DISABLED: must be true or false, got "maybe".'],
    [
      { GRAPHQL_EXECUTOR: 'jit' },
      'GRAPHQL_EXECUTOR',
      'Invalid setting GRAPHQL_EXECUTOR: must be one of compiled, interpreted, got "jit".',
    ],
  ])('bad settings stop the start with one line naming the setting (%j)', (env, setting, message) => {
    const error = failure(env);
    expect(error.setting).toBe(setting);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  test('an unreadable *_FILE is named, and its content is never echoed', () => {
    const file = path.join(dir, 'password');
    writeFileSync(file, 'hunter2');
    chmodSync(file, 0o000);
    const env = { KSC_URL: 'https://ksc.example:13299', KSC_USERNAME: 'api', KSC_PASSWORD_FILE: file };
    if (process.getuid?.() === 0) {
      // root reads anything; an empty file is the unreadable case we can still provoke
      writeFileSync(file, '');
      expect(failure(env).message).toBe(`Invalid setting KSC_PASSWORD_FILE: the file ${file} is empty.`);
    } else {
      expect(failure(env).message).toBe(`Invalid setting KSC_PASSWORD_FILE: the file ${file} is not readable.`);
    }
  });

  test('a secret given inline is never part of an error message', () => {
    const error = failure({ MDR_URL: 'https://mdr.example/api/v1', MDR_REFRESH_TOKEN: 'super-secret' });
    expect(error.message).not.toContain('super-secret');
  });

  describe('CA files', () => {
    const ksc = { KSC_URL: 'https://ksc.example:13299', KSC_USERNAME: 'api', KSC_PASSWORD: 'p' };
    const write = (name: string, content: string | Buffer) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    };

    test('a PEM bundle of several certificates, with text between them, is taken as it is', async () => {
      const certs = await ensureKataCertificates(path.join(dir, 'certs'));
      const bundle = `# issuing CA\n${readFileSync(certs.caFile, 'utf8')}\n# another\n${certs.server.cert}`;
      const file = write('bundle.pem', bundle);
      expect(loadConfig({ ...ksc, KSC_CA_FILE: file }).ksc?.ca?.toString()).toBe(bundle);
    });

    test.each([
      ['MDR_CA_FILE', { MDR_URL: 'https://mdr.example/api/v1', MDR_CLIENT_ID: 'c', MDR_REFRESH_TOKEN: 't' }],
      ['KSC_CA_FILE', ksc],
      [
        'KATA_CA_FILE',
        {
          KATA_URL: 'https://kata.example',
          KATA_EXTERNAL_SYSTEM_ID: 'x',
          KATA_CERT_FILE: __filename,
          KATA_KEY_FILE: __filename,
        },
      ],
    ])('%s must hold PEM certificates: text, DER and a broken block are named', async (setting, env) => {
      const certs = await ensureKataCertificates(path.join(dir, 'certs'));
      const pem = readFileSync(certs.caFile, 'utf8');
      const der = new X509Certificate(pem).raw;
      const broken = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
      expect(failure({ ...env, [setting]: write('notes.txt', 'not a certificate') }).message).toBe(
        `Invalid setting ${setting}: the file does not hold a PEM certificate.`,
      );
      expect(failure({ ...env, [setting]: write('ca.der', der) }).message).toBe(
        `Invalid setting ${setting}: the file does not hold a PEM certificate.`,
      );
      expect(failure({ ...env, [setting]: write('broken.pem', `${pem}${broken}`) }).message).toBe(
        `Invalid setting ${setting}: certificate 2 of 2 in the file is not a valid PEM certificate.`,
      );
    });
  });
});
