import { MalformedTradeRecordError, portfolioOfImage } from './trade-events';

describe('PORTFOLIO records of the Trades stream', () => {
  const portfolioId = '01JM0DE1000000000000000001';

  it('take the owner and the id from the keys, never from the body', () => {
    const image = {
      pk: 'USER#alice-sub',
      sk: `PORTFOLIO#${portfolioId}`,
      entity: 'PORTFOLIO',
      ownerSub: 'mallory',
    };

    expect(portfolioOfImage('1', image)).toEqual({ sub: 'alice-sub', portfolioId });
  });

  it('refuse an item that is not a portfolio of its owner (a poison record)', () => {
    for (const image of [
      { pk: 'USER#alice-sub', sk: 'PORTFOLIO#not-an-id', entity: 'PORTFOLIO' },
      { pk: `USER#alice-sub#PORTFOLIO#${portfolioId}`, sk: `PORTFOLIO#${portfolioId}`, entity: 'PORTFOLIO' },
      { pk: 'USER#alice-sub', sk: `PORTFOLIO#${portfolioId}`, entity: 'TRADE' },
    ]) {
      expect(() => portfolioOfImage('7', image)).toThrow(MalformedTradeRecordError);
    }
  });
});
