import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
import { main as deletePortfolio } from '../deletePortfolio/handler';
import { main as getPortfolio } from '../getPortfolio/handler';
import { main as listPortfolios } from '../listPortfolios/handler';
import { main as updatePortfolio } from '../updatePortfolio/handler';
import { main as createPortfolio } from './handler';

type PortfolioBody = {
  portfolioId: string;
  name: string;
  baseCurrency: string;
  lotMethod: string;
  commissionSchedule?: unknown;
};

const create = async (token: string, body: unknown) =>
  invoke(createPortfolio, { method: 'POST', path: '/portfolios', token, body });
const get = async (token: string, portfolioId: string) =>
  invoke(getPortfolio, {
    method: 'GET',
    path: `/portfolios/${portfolioId}`,
    routePath: '/portfolios/{portfolioId}',
    pathParameters: { portfolioId },
    token,
  });

describe('portfolio lifecycle against DynamoDB Local', () => {
  let alice: string;
  beforeAll(async () => {
    alice = await tokenFor(`alice-${Date.now()}`);
  });

  it('creates, reads, renames, lists and deletes a portfolio', async () => {
    // Arrange / Act: create
    const created = await create(alice, { name: '  Core  ', baseCurrency: 'EUR' });
    expect(created.statusCode).toBe(201);
    const portfolio = created.body as PortfolioBody;
    expect(portfolio).toMatchObject({ name: 'Core', baseCurrency: 'EUR', lotMethod: 'FIFO' });
    expect(created.headers.location).toBe(`/portfolios/${portfolio.portfolioId}`);

    // read back what was stored
    expect((await get(alice, portfolio.portfolioId)).body).toEqual(portfolio);

    // patch: change the lot method and add then remove a commission schedule
    const patched = await invoke(updatePortfolio, {
      method: 'PATCH',
      path: `/portfolios/${portfolio.portfolioId}`,
      routePath: '/portfolios/{portfolioId}',
      pathParameters: { portfolioId: portfolio.portfolioId },
      token: alice,
      body: { lotMethod: 'HIFO', commissionSchedule: { currency: 'EUR', perShare: '0.01', minimum: '1' } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.body).toMatchObject({
      lotMethod: 'HIFO',
      commissionSchedule: { perShare: '0.01' },
      name: 'Core',
    });
    const removed = await invoke(updatePortfolio, {
      method: 'PATCH',
      path: `/portfolios/${portfolio.portfolioId}`,
      routePath: '/portfolios/{portfolioId}',
      pathParameters: { portfolioId: portfolio.portfolioId },
      token: alice,
      body: { commissionSchedule: null },
    });
    expect((removed.body as PortfolioBody).commissionSchedule).toBeUndefined();

    // list shows it
    const listed = await invoke(listPortfolios, { method: 'GET', path: '/portfolios', token: alice });
    expect((listed.body as { items: PortfolioBody[] }).items.map((item) => item.portfolioId)).toContain(
      portfolio.portfolioId,
    );

    // delete, then it is gone
    const deleted = await invoke(deletePortfolio, {
      method: 'DELETE',
      path: `/portfolios/${portfolio.portfolioId}`,
      routePath: '/portfolios/{portfolioId}',
      pathParameters: { portfolioId: portfolio.portfolioId },
      token: alice,
    });
    expect(deleted.statusCode).toBe(204);
    expect((await get(alice, portfolio.portfolioId)).statusCode).toBe(404);
  });

  it('rejects an owner field and writes nothing', async () => {
    const bob = await tokenFor(`bob-${Date.now()}`);
    const response = await create(bob, { name: 'X', baseCurrency: 'USD', ownerId: 'alice' });
    expect(response.statusCode).toBe(400);
    const listed = await invoke(listPortfolios, { method: 'GET', path: '/portfolios', token: bob });
    expect(listed.body).toEqual({ items: [], nextCursor: null });
  });

  it('pages through portfolios with an opaque cursor and refuses a forged one', async () => {
    const carol = await tokenFor(`carol-${Date.now()}`);
    for (const name of ['A', 'B', 'C']) await create(carol, { name, baseCurrency: 'USD' });
    const first = await invoke(listPortfolios, {
      method: 'GET',
      path: '/portfolios',
      token: carol,
      query: { limit: '2' },
    });
    const page1 = first.body as { items: PortfolioBody[]; nextCursor: string };
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await invoke(listPortfolios, {
      method: 'GET',
      path: '/portfolios',
      token: carol,
      query: { limit: '2', cursor: page1.nextCursor },
    });
    const page2 = second.body as { items: PortfolioBody[] };
    expect([...page1.items, ...page2.items].map((item) => item.name).sort()).toEqual(['A', 'B', 'C']);

    // a cursor pointing into someone else's partition is refused, not followed
    const forged = Buffer.from(JSON.stringify({ pk: 'USER#someone-else', sk: 'PORTFOLIO#X' })).toString(
      'base64url',
    );
    const refused = await invoke(listPortfolios, {
      method: 'GET',
      path: '/portfolios',
      token: carol,
      query: { cursor: forged },
    });
    expect(refused.statusCode).toBe(400);
    const tooMany = await invoke(listPortfolios, {
      method: 'GET',
      path: '/portfolios',
      token: carol,
      query: { limit: '501' },
    });
    expect(tooMany.statusCode).toBe(400);
  });
});
