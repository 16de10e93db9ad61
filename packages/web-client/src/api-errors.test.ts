import { formErrors } from './api-errors';

describe('formErrors', () => {
  it('puts each detail next to its field and keeps the rest general', () => {
    const body = {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Request is invalid',
        details: [
          { path: 'price', message: 'Expected a decimal string' },
          { path: 'instrument.symbol', message: 'Too long' },
          { path: 'header.Idempotency-Key', message: 'Bad key' },
        ],
      },
    };
    expect(formErrors(400, body, ['price', 'instrument', 'quantity'])).toEqual({
      fields: { price: ['Expected a decimal string'], instrument: ['symbol: Too long'] },
      general: ['Request is invalid', 'header.Idempotency-Key: Bad key'],
    });
  });

  it('explains a version conflict in words instead of the raw code', () => {
    const body = { error: { code: 'CONFLICT', message: 'Version 1 is stale' } };
    const { general, fields } = formErrors(409, body, ['price']);
    expect(fields).toEqual({});
    expect(general.join(' ')).toMatch(/changed this trade after you opened it/);
    expect(general.join(' ')).toMatch(/Reload the trade/);
  });

  it('says so when the body is not an API error', () => {
    expect(formErrors(502, 'Bad Gateway', []).general).toEqual([
      'The server answered 502 without an explanation.',
    ]);
  });
});
