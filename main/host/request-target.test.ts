import { describe, expect, it } from 'vitest';
import { requestTarget } from './request-target.js';

describe('requestTarget', () => {
  it('splits the origin form into a path and a query', () => {
    const t = requestTarget('/events?token=abc&x=1');
    expect(t.path).toBe('/events');
    expect(t.query.get('token')).toBe('abc');
  });

  it('answers, never throws, for targets the URL parser refuses', () => {
    for (const target of ['//', 'http://[', '/%zz?token=%zz', 'http://127.0.0.1:1/events?token=x', '*', '', undefined, `/${'a'.repeat(10_000)}`]) {
      const t = requestTarget(target);
      expect(typeof t.path).toBe('string');
      expect(t.path === '/events').toBe(false);
    }
    expect(requestTarget('/%zz?token=%zz').query.get('token')).toBe('%zz');
  });
});
