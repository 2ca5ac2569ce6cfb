import { isIPv4 } from 'node:net';

/**
 * Whether a host name or address (URL hostnames keep IPv6 brackets) can only be reached from this
 * machine. Only addresses of 127.0.0.0/8 count, not names that merely start with "127."
 * (`127.0.0.1.example.com` is a host anywhere on the network).
 */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || (isIPv4(host) && host.startsWith('127.'));
}
