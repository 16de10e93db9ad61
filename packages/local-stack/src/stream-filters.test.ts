import { matchesFilterPattern, passesFilters } from './stream-filters';

const importRecord = {
  eventName: 'MODIFY',
  dynamodb: {
    NewImage: { entity: { S: 'IMPORT' }, rows: { N: '12' }, pk: { S: 'USER#a#PORTFOLIO#b' } },
  },
};

describe('stream filter patterns (Lambda FilterCriteria semantics)', () => {
  it.each([
    ['an exact string', { dynamodb: { NewImage: { entity: { S: ['IMPORT'] } } } }, true],
    ['one of several strings', { dynamodb: { NewImage: { entity: { S: ['TRADE', 'IMPORT'] } } } }, true],
    ['another string', { dynamodb: { NewImage: { entity: { S: ['TRADE'] } } } }, false],
    ['a prefix', { dynamodb: { NewImage: { pk: { S: [{ prefix: 'USER#' }] } } } }, true],
    ['a prefix that differs', { dynamodb: { NewImage: { pk: { S: [{ prefix: 'PRICE#' }] } } } }, false],
    ['exists true on a present field', { dynamodb: { NewImage: { rows: [{ exists: true }] } } }, true],
    ['exists false on a present field', { dynamodb: { NewImage: { rows: [{ exists: false }] } } }, false],
    ['exists false on a missing field', { dynamodb: { NewImage: { ownerSub: [{ exists: false }] } } }, true],
    [
      'anything-but another value',
      { dynamodb: { NewImage: { entity: { S: [{ 'anything-but': ['TRADE'] }] } } } },
      true,
    ],
    [
      'anything-but this value',
      { dynamodb: { NewImage: { entity: { S: [{ 'anything-but': 'IMPORT' }] } } } },
      false,
    ],
    ['a number against DynamoDB’s string number', { dynamodb: { NewImage: { rows: { N: [12] } } } }, true],
    ['the event name', { eventName: ['INSERT'] }, false],
    ['a field of a missing image', { dynamodb: { OldImage: { entity: { S: ['IMPORT'] } } } }, false],
    [
      'an operator we do not know',
      { dynamodb: { NewImage: { rows: { N: [{ numeric: ['>', 5] }] } } } },
      false,
    ],
  ])('%s: %s', (_case, pattern, expected) => {
    expect(matchesFilterPattern(pattern, importRecord)).toBe(expected);
  });

  it('passes a record when any of the patterns matches, and every record when there are none', () => {
    const trade = { dynamodb: { NewImage: { entity: { S: ['TRADE'] } } } };
    const imports = { dynamodb: { NewImage: { entity: { S: ['IMPORT'] } } } };

    expect(passesFilters([trade, imports], importRecord)).toBe(true);
    expect(passesFilters([trade], importRecord)).toBe(false);
    expect(passesFilters([], importRecord)).toBe(true);
  });
});
