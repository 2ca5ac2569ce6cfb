import type { SimulatorRoutes } from '../../src/upstreams/sim/simulator-server';

/**
 * Records what a simulator receives while its own handler still answers: for tests that pin what
 * the gateway sent (the fields a list asks for), not what came back.
 */
export function recordRequests(routes: Pick<SimulatorRoutes, 'handle'>) {
  const spy = jest.spyOn(routes, 'handle');
  return {
    /** The JSON bodies of the `endpoint` calls answered since the last `take` or `clear`. */
    take<T>(endpoint: string): T[] {
      const bodies = spy.mock.calls.filter(([, called]) => called === endpoint).map(([req]) => req.json() as T);
      spy.mockClear();
      return bodies;
    },
    clear: () => spy.mockClear(),
    restore: () => spy.mockRestore(),
  };
}
