import { isIPv6 } from 'node:net';

/**
 * The client a request's address stands for, for counting attempts and requests: an IPv4 address as it is (also when
 * IPv4-mapped, `::ffff:203.0.113.7`), an IPv6 address as its /64, since one subscriber usually holds the whole prefix
 * and each of its addresses is no new client.
 */
export function clientOf(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (!isIPv6(plain) || plain.includes('.')) return plain;
  const [head = '', tail = ''] = plain.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const groups = plain.includes('::') ? [...headParts, ...Array<string>(8 - headParts.length - tailParts.length).fill('0'), ...tailParts] : headParts;
  return `${groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
