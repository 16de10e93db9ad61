import {
  MAX_SERVER_MESSAGE_BYTES,
  type PortfolioPositions,
  type PositionsMessage,
} from '@kupala/trade-model';

/** Positions per message at most (the message schema's bound), whatever their size. */
export const MAX_POSITIONS_PER_PART = 1000;
// Room left for the `part`/`parts` digits and JSON separators the size estimate below does not count.
const SAFETY_BYTES = 256;

const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * The `positions` messages of one portfolio snapshot: one message when it fits in API Gateway's 128 KB,
 * otherwise `parts` messages that share `asOf`, `totals`, `cash`, `baseCurrency` (and `waitingForRates`, when
 * some trades wait for a rate) and divide the positions
 * between them in order, each under `budgetBytes`.
 */
export const positionsMessages = (
  portfolioId: string,
  snapshot: PortfolioPositions,
  budgetBytes: number = MAX_SERVER_MESSAGE_BYTES,
): PositionsMessage[] => {
  const envelope = (positions: PositionsMessage['positions'], part: number, parts: number) => ({
    type: 'positions' as const,
    portfolioId,
    asOf: snapshot.asOf,
    part,
    parts,
    baseCurrency: snapshot.baseCurrency,
    positions,
    cash: snapshot.cash,
    totals: snapshot.totals,
    ...(snapshot.waitingForRates === undefined ? {} : { waitingForRates: snapshot.waitingForRates }),
  });
  const room = budgetBytes - byteLength(envelope([], 1, 1)) - SAFETY_BYTES;
  const groups: PositionsMessage['positions'][] = [[]];
  let used = 0;
  for (const position of snapshot.positions) {
    // +1 for the comma between array elements
    const size = byteLength(position) + 1;
    if (size > room) throw new RangeError(`A single position of ${size} bytes cannot fit in a message`);
    const current = groups[groups.length - 1] ?? [];
    if (current.length > 0 && (used + size > room || current.length >= MAX_POSITIONS_PER_PART)) {
      groups.push([position]);
      used = size;
    } else {
      current.push(position);
      used += size;
    }
  }
  return groups.map((positions, index) => envelope(positions, index + 1, groups.length));
};
