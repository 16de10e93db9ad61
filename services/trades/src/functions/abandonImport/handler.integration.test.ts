import { tokenFor } from '@kupala/local-stack';
import { importsApi, objectCreatedEvent, subOf } from '../../testing/imports-requests';
import { tradesApi } from '../../testing/requests';
import { main as abandonImport } from './handler';

const MAPPING = { columns: { tradeDate: 'Date', type: 'Type', amount: 'Amount', currency: 'Currency' } };
const CONTENT = 'Date,Type,Amount,Currency\n2026-01-02,DEPOSIT,100,USD\n';

describe('on-failure destination of processImport', () => {
  it('ends an unfinished import as FAILED with a way to resume, and leaves a finished one alone', async () => {
    const token = await tokenFor(`abandon-${Date.now()}`);
    const api = importsApi(token);
    const portfolioId = await tradesApi(token).createPortfolio();
    const failure = (importId: string) => ({
      requestPayload: objectCreatedEvent(
        process.env.IMPORTS_BUCKET ?? '',
        `${subOf(token)}/${portfolioId}/${importId}/source`,
      ),
      responsePayload: { errorType: 'ProvisionedThroughputExceededException', errorMessage: 'throttled' },
    });

    // Lambda gave up on this one before it finished
    const stuck = (await api.create(portfolioId, { format: 'generic-csv', mapping: MAPPING })).body as {
      importId: string;
    };
    await abandonImport(failure(stuck.importId));
    const failed = (await api.get(portfolioId, stuck.importId)).body as {
      status: string;
      errors: { message: string }[];
    };
    expect(failed.status).toBe('FAILED');
    expect(failed.errors[0]?.message).toMatch(/Import the file again/);

    // a late failure notice about an import that did succeed changes nothing
    const done = (
      await api.create(portfolioId, { format: 'generic-csv', mapping: MAPPING, content: CONTENT })
    ).body as {
      importId: string;
    };
    await api.process(portfolioId, done.importId);
    await abandonImport(failure(done.importId));
    expect((await api.get(portfolioId, done.importId)).body).toMatchObject({
      status: 'SUCCEEDED',
      imported: 1,
    });
  });
});
