/** The hash route of a position's lots and what-if sale (the instrument key is URL-encoded). */
export const lotsHref = (portfolioId: string, instrumentKey: string) =>
  `#/p/${portfolioId}/lots/${encodeURIComponent(instrumentKey)}`;
