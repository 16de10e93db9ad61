/**
 * The client's view of a portfolio from `positions` pushes: each message (or each set of `parts` sharing
 * one `asOf`) is the whole state, so the view is replaced, never patched. Two changes close together may
 * arrive in either order: a message older than the view is dropped, and a multi-part state is shown only
 * once all its parts are in.
 */
export interface PositionsPush<P> {
  type: 'positions';
  portfolioId: string;
  asOf: string;
  part?: number;
  parts?: number;
  baseCurrency: string;
  positions: P[];
  cash: { currency: string; balance: string }[];
  totals: Record<string, string | null>;
}

export interface PositionsView<P> {
  portfolioId: string;
  asOf: string;
  baseCurrency: string;
  positions: P[];
  cash: { currency: string; balance: string }[];
  totals: Record<string, string | null>;
}

export interface LivePositions<P> {
  /** Takes a push; answers the new view when it changed, otherwise undefined. */
  accept(message: PositionsPush<P>): PositionsView<P> | undefined;
  /** Seeds the view from GET …/positions (same shape, one part). */
  seed(view: PositionsView<P>): void;
  current(): PositionsView<P> | undefined;
}

export const livePositions = <P>(portfolioId: string): LivePositions<P> => {
  let view: PositionsView<P> | undefined;
  let pendingAsOf: string | undefined;
  let pendingParts = new Map<number, PositionsPush<P>>();
  // ISO-8601 UTC timestamps of one format compare correctly as strings.
  const isOlder = (asOf: string) => view !== undefined && asOf < view.asOf;
  return {
    accept(message) {
      if (message.portfolioId !== portfolioId || isOlder(message.asOf)) return undefined;
      const parts = message.parts ?? 1;
      if (pendingAsOf !== message.asOf) {
        if (pendingAsOf !== undefined && message.asOf < pendingAsOf) return undefined;
        pendingAsOf = message.asOf;
        pendingParts = new Map();
      }
      pendingParts.set(message.part ?? 1, message);
      if (pendingParts.size < parts) return undefined;
      const ordered = [...pendingParts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part);
      view = {
        portfolioId,
        asOf: message.asOf,
        baseCurrency: message.baseCurrency,
        positions: ordered.flatMap((part) => part.positions),
        cash: message.cash,
        totals: message.totals,
      };
      pendingAsOf = undefined;
      pendingParts = new Map();
      return view;
    },
    seed(seeded) {
      if (!isOlder(seeded.asOf)) view = seeded;
    },
    current: () => view,
  };
};
