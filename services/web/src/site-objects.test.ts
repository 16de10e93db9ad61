import { siteConfigJson, siteObjects } from './site-objects';

describe('siteObjects', () => {
  it('caches hashed assets for a year and revalidates the page and its config', () => {
    expect(siteObjects(['index.html', 'assets/main-AB12.js', 'assets/styles-CD34.css'])).toEqual([
      { key: 'index.html', contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' },
      {
        key: 'assets/main-AB12.js',
        contentType: 'text/javascript; charset=utf-8',
        cacheControl: 'public, max-age=31536000, immutable',
      },
      {
        key: 'assets/styles-CD34.css',
        contentType: 'text/css; charset=utf-8',
        cacheControl: 'public, max-age=31536000, immutable',
      },
      { key: 'config.json', contentType: 'application/json', cacheControl: 'no-cache' },
    ]);
  });

  it('refuses a file it has no content type for', () => {
    expect(() => siteObjects(['assets/font.woff2'])).toThrow('No content type for assets/font.woff2');
  });
});

describe('siteConfigJson', () => {
  const good = {
    apiUrl: '',
    wsUrl: 'wss://x.execute-api.eu-west-1.amazonaws.com/prod',
    auth: {
      mode: 'cognito',
      domain: 'https://kupala-prod.auth.eu-west-1.amazoncognito.com',
      clientId: 'abc',
      scopes: 'openid aws.cognito.signin.user.admin',
    },
  };

  it('passes a complete config through', () => {
    expect(JSON.parse(siteConfigJson(JSON.stringify(good)))).toEqual(good);
  });

  it('fails a deploy whose compose params are missing', () => {
    expect(() => siteConfigJson(JSON.stringify({ ...good, wsUrl: 'ws://insecure' }))).toThrow('wss://');
    expect(() =>
      siteConfigJson(JSON.stringify({ ...good, auth: { mode: 'cognito', clientId: '' } })),
    ).toThrow('userPoolClientId');
    expect(() => siteConfigJson(undefined)).toThrow('wsUrl');
  });

  it('fails a deploy whose sign-in would get tokens the API refuses, or whose domain is not an https origin', () => {
    expect(() =>
      siteConfigJson(JSON.stringify({ ...good, auth: { ...good.auth, scopes: 'openid' } })),
    ).toThrow('aws.cognito.signin.user.admin');
    expect(() =>
      siteConfigJson(JSON.stringify({ ...good, auth: { ...good.auth, domain: 'http://evil.example' } })),
    ).toThrow('https://');
    expect(() =>
      siteConfigJson(JSON.stringify({ ...good, auth: { ...good.auth, domain: 'https://a.example/path' } })),
    ).toThrow('https://');
    // no hosted UI yet (trades has no domain): the site deploys; its sign-in page says sign-in is not set up
    expect(
      JSON.parse(siteConfigJson(JSON.stringify({ ...good, auth: { ...good.auth, domain: '' } }))).auth.domain,
    ).toBe('');
  });
});
