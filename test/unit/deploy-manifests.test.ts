import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

import { loadConfig } from '../../src/config/load';

const file = path.join(__dirname, '..', '..', 'deploy', 'gateway.yaml');
const documents = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as { kind: string });
const byKind = (kind: string) => documents.find((d) => d.kind === kind);

describe('deploy/gateway.yaml', () => {
  // Kubernetes' own resource models: validate() checks every field against the API's schema.
  const deployment = new Deployment(byKind('Deployment') as never);
  const service = new Service(byKind('Service') as never);
  const budget = new PodDisruptionBudget(byKind('PodDisruptionBudget') as never);

  test('holds a Deployment, a Service and a PodDisruptionBudget, each valid against the Kubernetes API schema', () => {
    expect(documents.map((d) => d.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Service']);
    for (const resource of [deployment, service, budget]) expect(() => resource.validate()).not.toThrow();
    // The models do check: a replica count that is not a number is refused.
    const raw = byKind('Deployment') as unknown as { spec: object };
    expect(() => new Deployment({ ...raw, spec: { ...raw.spec, replicas: 'two' } } as never).validate()).toThrow();
  });

  test('two replicas, probes on /healthz and /readyz, resource requests, and a budget that keeps one up', () => {
    expect(deployment.spec!.replicas).toBe(2);
    const container = deployment.spec!.template.spec!.containers[0]!;
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    const pods = deployment.spec!.template.metadata!.labels;
    expect(deployment.spec!.selector.matchLabels).toEqual(pods);
    expect(service.spec!.selector).toEqual(pods);
    expect(budget.spec!.selector!.matchLabels).toEqual(pods);
    expect(budget.spec!.minAvailable).toBe(1);
  });

  test('secrets come from a Secret as *_FILE, REDIS_URL among them, and the settings load as the gateway reads them', () => {
    const pod = deployment.spec!.template.spec!;
    const container = pod.containers[0]!;
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    const secretVolume = pod.volumes!.find((v) => v.secret)!;
    const mount = container.volumeMounts!.find((m) => m.name === secretVolume.name)!;
    for (const name of ['REDIS_URL_FILE', 'MDR_REFRESH_TOKEN_FILE', 'KSC_PASSWORD_FILE', 'KATA_KEY_FILE']) {
      expect(env[name]).toMatch(new RegExp(`^${mount.mountPath}/`));
    }
    // No secret value anywhere in the manifest itself.
    for (const name of ['REDIS_URL', 'MDR_REFRESH_TOKEN', 'KSC_PASSWORD']) expect(env[name]).toBeUndefined();
    expect(mount.readOnly).toBe(true);

    // Every setting is one the gateway knows and accepts (files aside: they exist only in a pod).
    const files = Object.keys(env).filter((name) => name.endsWith('_FILE'));
    const withoutFiles = Object.fromEntries(Object.entries(env).filter(([name]) => !files.includes(name)));
    const config = loadConfig({
      ...withoutFiles,
      REDIS_URL: 'redis://redis.example:6379',
      MDR_REFRESH_TOKEN: 'x',
      KSC_PASSWORD: 'x',
      KATA_URL: undefined,
    });
    expect(config.redis).toMatchObject({ keyPrefix: env.REDIS_KEY_PREFIX });
    expect(config.host).toBe('0.0.0.0');
  });
});
