/** Whether a host name or address (URL hostnames keep IPv6 brackets) can only be reached from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}
