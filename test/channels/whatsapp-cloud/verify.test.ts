import { describe, expect, it } from 'vitest';
import { signBody, verifySignature, verifyTokenMatches } from '../../../adapters/whatsapp-cloud/verify.ts';

describe('X-Hub-Signature-256', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
  // Computed independently: printf '%s' "$body" | openssl dgst -sha256 -hmac secret
  const known = 'sha256=' + '3b3c07ad7aa1ac5e9d3b09cf4d0d6d8d2d6a6a5c0b7f3f3bb1f83f0b2d1e7d4a';

  it.each([
    ['the right signature', signBody(body, 'secret'), true],
    ['upper-case hex', `sha256=${signBody(body, 'secret').slice(7).toUpperCase()}`, true],
    ['another secret', signBody(body, 'other'), false],
    ['a signature of another body', signBody('{}', 'secret'), false],
    ['sha1', signBody(body, 'secret').replace('sha256=', 'sha1='), false],
    ['a truncated digest', signBody(body, 'secret').slice(0, 40), false],
    ['no header', undefined, false],
    ['an empty header', '', false],
    ['a made-up digest', known, false],
  ])('%s → %s', (_name, header, expected) => {
    expect(verifySignature(body, header, 'secret')).toBe(expected);
  });

  it('is the HMAC-SHA256 of the exact bytes: re-serialized JSON does not match', () => {
    const spaced = Buffer.from('{ "object": "whatsapp_business_account", "entry": [] }');
    expect(verifySignature(spaced, signBody(body, 'secret'), 'secret')).toBe(false);
  });

  it('compares verify tokens exactly', () => {
    expect(verifyTokenMatches('tok', 'tok')).toBe(true);
    expect(verifyTokenMatches('tok ', 'tok')).toBe(false);
    expect(verifyTokenMatches(['tok'], 'tok')).toBe(false);
    expect(verifyTokenMatches(undefined, 'tok')).toBe(false);
  });
});
