import { ReadinessProbe } from '../../src/server/readiness';
import type { UpstreamClient } from '../../src/upstreams/upstream-client';

/** A client whose ping answers when the test says so. */
function heldClient() {
  let pings = 0;
  let answer!: () => void;
  const client = {
    upstream: 'ksc',
    ping: () => {
      pings++;
      return new Promise<void>((resolve) => (answer = resolve));
    },
    close: async () => undefined,
  } as unknown as UpstreamClient;
  return { client, pings: () => pings, answer: () => answer() };
}

test('a check while a probe is under way waits for that probe instead of pinging again', async () => {
  const { client, pings, answer } = heldClient();
  const probe = new ReadinessProbe([client]);
  const atStart = probe.check();
  const fromReadyz = probe.check();
  expect(pings()).toBe(1);
  answer();
  expect(await fromReadyz).toEqual({ ready: true, upstreams: [{ upstream: 'KSC', ready: true }] });
  expect(await atStart).toEqual({ ready: true, upstreams: [{ upstream: 'KSC', ready: true }] });
  await probe.check();
  expect(pings()).toBe(1);
});
