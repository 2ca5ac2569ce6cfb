import { GatewayError } from '../../errors/gateway-error';

/**
 * A client as a caller limited to tenants sees it: the methods in `scoped` replace the client's,
 * the `neutral` ones (no tenant data: ping, close) pass through, and every other method refuses.
 * Deny by default, so a method added to a client later cannot serve one tenant's data to another
 * before someone decides how it is scoped.
 */
export function scopedView<C extends object>(
  client: C,
  scoped: { [K in keyof C]?: C[K] },
  neutral: readonly (keyof C)[],
): C {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (Object.hasOwn(scoped, property)) return scoped[property as keyof C];
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (neutral.includes(property as keyof C)) return value.bind(target);
      return () => {
        throw new GatewayError('FORBIDDEN', 'This is not available to callers limited to tenants.');
      };
    },
  });
}
