/**
 * Stands in for tldts (the whole public-suffix list, 137 KB minified, which alone would break the 300 KB
 * bundle budget) inside this service's bundle, where only the Yahoo client's private cookie jar
 * (tough-cookie) uses it. That jar only ever receives cookies from *.yahoo.com hosts, whose registrable
 * domain is the last two labels ("finance.yahoo.com" → "yahoo.com"). For a host of one label there is none.
 * Jest runs the real tldts; the test beside this file checks both agree on every host the client meets.
 */
export const getDomain = (hostname: string): string | null => {
  const labels = hostname.replace(/\.$/, '').split('.');
  return labels.length < 2 ? null : labels.slice(-2).join('.');
};
