import { GatewayError } from '../../src/errors/gateway-error';
import { scopedView } from '../../src/graph/tenancy/scoped-view';

class Client {
  readonly upstream = 'ksc';
  hosts() {
    return ['every tenant'];
  }
  added() {
    return ['every tenant'];
  }
  ping() {
    return this.upstream;
  }
}

describe('a tenant-scoped view of a client', () => {
  const view = scopedView<Client>(new Client(), { hosts: () => ['mine'] }, ['ping']);

  test('answers with the scoped method where there is one', () => {
    expect(view.hosts()).toEqual(['mine']);
  });

  test('passes scope-neutral methods and plain properties through, bound to the client', () => {
    expect(view.ping()).toBe('ksc');
    expect(view.upstream).toBe('ksc');
  });

  test('refuses any other method (deny by default: a method added later serves no tenant data)', () => {
    expect(() => view.added()).toThrow(GatewayError);
    expect(() => view.added()).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
