const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The first anniversary of a `YYYY-MM-DD` date; 29 February's is 28 February of a common year. */
export const firstAnniversary = (date: string): string => {
  const year = Number(date.slice(0, 4)) + 1;
  const monthDay = date.slice(4);
  return `${year}${monthDay === '-02-29' && !isLeapYear(year) ? '-02-28' : monthDay}`;
};

/** LONG when held more than one year: the close date is after the first anniversary of the open date. */
export const holdingPeriod = (openDate: string, closeDate: string): 'SHORT' | 'LONG' => {
  // Consecutive closes mostly share an open date: keep its anniversary.
  if (openDate !== lastOpenDate) {
    lastOpenDate = openDate;
    lastAnniversary = firstAnniversary(openDate);
  }
  return closeDate > lastAnniversary ? 'LONG' : 'SHORT';
};
let lastOpenDate = '';
let lastAnniversary = '';
