import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RouteConflictError, RouteTable, routesFromServiceConfig } from './route-table';
import { parseCloudFormationYaml, readServerlessYaml } from './service-templates';
import { workspaceRoot } from './workspace';

const table = new RouteTable([
  { service: 'trades', method: 'GET', path: '/portfolios' },
  { service: 'trades', method: 'POST', path: '/portfolios' },
  { service: 'trades', method: 'GET', path: '/portfolios/{portfolioId}' },
  { service: 'positions', method: 'GET', path: '/portfolios/{portfolioId}/positions' },
  { service: 'positions', method: 'GET', path: '/portfolios/summary' },
  { service: 'trades', method: 'GET', path: '/portfolios/{portfolioId}/trades' },
  { service: 'market-data', method: 'ANY', path: '/instruments/{symbol}/prices' },
  { service: 'market-data', method: 'PUT', path: '/instruments/{symbol}/prices' },
  { service: 'ml-analysis', method: 'GET', path: '/datasets/{proxy+}' },
  { service: 'ml-analysis', method: 'GET', path: '/datasets/{datasetId}/rows' },
]);

const owner = (method: string, path: string) => {
  const match = table.match(method, path);
  return match === undefined ? undefined : `${match.route.service} ${match.route.method} ${match.route.path}`;
};

describe('RouteTable', () => {
  it('matches literal routes and path parameters', () => {
    expect(owner('GET', '/portfolios')).toBe('trades GET /portfolios');
    expect(owner('POST', '/portfolios')).toBe('trades POST /portfolios');
    expect(table.match('GET', '/portfolios/p-1')?.params).toEqual({ portfolioId: 'p-1' });
    expect(owner('GET', '/portfolios/p-1/positions')).toBe(
      'positions GET /portfolios/{portfolioId}/positions',
    );
    expect(owner('GET', '/portfolios/p-1/trades?limit=5')).toBe(
      'trades GET /portfolios/{portfolioId}/trades',
    );
  });

  it('prefers a literal segment over a {param} whatever the declaration order', () => {
    expect(owner('GET', '/portfolios/summary')).toBe('positions GET /portfolios/summary');
    expect(owner('GET', '/portfolios/summaryx')).toBe('trades GET /portfolios/{portfolioId}');
  });

  it('prefers an exact method over ANY, and ANY over nothing', () => {
    expect(owner('PUT', '/instruments/AAPL/prices')).toBe('market-data PUT /instruments/{symbol}/prices');
    expect(owner('GET', '/instruments/AAPL/prices')).toBe('market-data ANY /instruments/{symbol}/prices');
  });

  it('prefers {param} over a greedy {proxy+}, which takes the rest of the path', () => {
    expect(owner('GET', '/datasets/d1/rows')).toBe('ml-analysis GET /datasets/{datasetId}/rows');
    expect(table.match('GET', '/datasets/d1/views/v2')?.params).toEqual({ proxy: 'd1/views/v2' });
    expect(table.match('GET', '/datasets')).toBeUndefined();
  });

  it('decodes parameters and tolerates trailing slashes', () => {
    expect(table.match('GET', '/portfolios/a%20b')?.params).toEqual({ portfolioId: 'a b' });
    expect(owner('GET', '/portfolios/')).toBe('trades GET /portfolios');
  });

  it('finds nothing for unknown paths and methods', () => {
    expect(table.match('GET', '/nope')).toBeUndefined();
    expect(table.match('DELETE', '/portfolios')).toBeUndefined();
    expect(table.match('GET', '/portfolios/p-1/trades/t-1/extra')).toBeUndefined();
  });

  it('hands a CORS preflight to the service owning the path', () => {
    expect(owner('OPTIONS', '/portfolios/p-1')).toBe('trades GET /portfolios/{portfolioId}');
  });

  it('refuses two services claiming the same route key', () => {
    expect(
      () =>
        new RouteTable([
          { service: 'trades', method: 'GET', path: '/portfolios/{portfolioId}' },
          { service: 'positions', method: 'GET', path: '/portfolios/{id}' },
        ]),
    ).toThrow(RouteConflictError);
  });
});

describe('routesFromServiceConfig', () => {
  it('reads httpApi events in object, string and catch-all forms', () => {
    const config = parseCloudFormationYaml(`
functions:
  list:
    handler: a.main
    events:
      - httpApi: { method: GET, path: /portfolios }
      - sqs: { arn: !GetAtt Queue.Arn }
  book:
    handler: b.main
    events:
      - httpApi: 'POST /portfolios/{portfolioId}/trades'
  any:
    handler: c.main
    events:
      - httpApi: '*'
  stream:
    handler: d.main
    events:
      - stream: { type: dynamodb, arn: !GetAtt Table.StreamArn }
`) as Record<string, unknown>;
    expect(routesFromServiceConfig('trades', config)).toEqual([
      { service: 'trades', functionName: 'list', method: 'GET', path: '/portfolios' },
      { service: 'trades', functionName: 'book', method: 'POST', path: '/portfolios/{portfolioId}/trades' },
      { service: 'trades', functionName: 'any', method: 'ANY', path: '/{proxy+}' },
    ]);
  });

  it('reads the routes of every service serverless.yml in the repository', async () => {
    const services = ['trades', 'positions', 'market-data', 'ml-analysis'].filter((service) =>
      existsSync(join(workspaceRoot, 'services', service, 'serverless.yml')),
    );
    const routes = (
      await Promise.all(
        services.map(async (service) =>
          routesFromServiceConfig(
            service,
            await readServerlessYaml(join(workspaceRoot, 'services', service)),
          ),
        ),
      )
    ).flat();
    expect(() => new RouteTable(routes)).not.toThrow();
    if (services.includes('trades')) {
      expect(routes).toContainEqual(
        expect.objectContaining({ service: 'trades', method: 'GET', path: '/health' }),
      );
    }
  });
});
