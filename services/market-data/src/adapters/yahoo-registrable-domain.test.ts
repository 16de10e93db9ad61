import { getDomain as tldtsGetDomain } from 'tldts';
import { getDomain } from './yahoo-registrable-domain';

describe('registrable domain of the hosts the Yahoo client meets', () => {
  it.each([
    'finance.yahoo.com',
    'query1.finance.yahoo.com',
    'query2.finance.yahoo.com',
    'guce.yahoo.com',
    'consent.yahoo.com',
    'yahoo.com',
    '.yahoo.com',
  ])('agrees with tldts for %s', (host) => {
    const stripped = host.replace(/^\./, '');
    expect(getDomain(stripped)).toBe(
      tldtsGetDomain(stripped, { allowIcannDomains: true, allowPrivateDomains: true }),
    );
    expect(getDomain(stripped)).toBe('yahoo.com');
  });

  it('has no registrable domain for a single label', () => {
    expect(getDomain('localhost')).toBeNull();
  });
});
