import { isIP } from 'node:net';

/** Who may say where Parley's replies go: the settings of adapters/botframework/config.ts that bear on it. */
export interface ServiceUrlPolicy {
  /** Loopback serviceUrls (the Bot Framework Emulator) are accepted. */
  emulator: boolean;
  /** Hosts of the channel services; `*.example.com` matches any subdomain of example.com, not example.com. */
  serviceUrlHosts: readonly string[];
}

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z, how a dual-stack socket reports IPv4 clients) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (name === 'localhost') return true;
  const v4 = name.startsWith('::ffff:') ? name.slice(7) : name;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(name) === 6 && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(name);
}

function matchesHost(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

/**
 * Whether Parley may post to this serviceUrl: an https URL on a channel service's host with no port, user or
 * password in it; or, in Emulator mode, an http(s) URL on this machine. Anything else would let the sender of an
 * activity point Parley's replies (and, with an app id, its Bot Framework token) at a host of their choosing.
 */
export function serviceUrlAllowed(serviceUrl: string, policy: ServiceUrlPolicy): boolean {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  if (policy.emulator && isLoopbackHost(host)) return url.protocol === 'http:' || url.protocol === 'https:';
  if (url.protocol !== 'https:' || url.port !== '') return false;
  return policy.serviceUrlHosts.some((pattern) => matchesHost(host.replace(/\.$/, ''), pattern));
}
