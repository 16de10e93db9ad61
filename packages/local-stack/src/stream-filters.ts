import { isRecord } from './is-record';

/**
 * Lambda event-source filtering (FilterCriteria) for local stream delivery: a record goes to the function
 * when any pattern matches it. A pattern is an object whose leaves are arrays of allowed values: exact
 * strings, numbers, booleans or null, `{"prefix":"…"}`, `{"exists":true|false}` and `{"anything-but":[…]}`
 * (the subset the Kupala services use, with AWS's semantics). Unknown operators never match: a pattern we
 * cannot evaluate must not deliver what AWS would drop.
 */

type Matcher = (value: unknown, present: boolean) => boolean;

const scalarEquals = (expected: unknown, value: unknown): boolean =>
  expected === value ||
  // DynamoDB JSON carries numbers as strings ({"N":"5"}); AWS compares numeric filters numerically
  (typeof expected === 'number' && typeof value === 'string' && Number(value) === expected);

const matcherOf = (condition: unknown): Matcher => {
  if (!isRecord(condition)) return (value, present) => present && scalarEquals(condition, value);
  if (typeof condition.prefix === 'string') {
    const prefix = condition.prefix;
    return (value, present) => present && typeof value === 'string' && value.startsWith(prefix);
  }
  if (typeof condition.exists === 'boolean') {
    const wanted = condition.exists;
    return (_value, present) => present === wanted;
  }
  const excluded = condition['anything-but'];
  if (excluded !== undefined) {
    const values = Array.isArray(excluded) ? excluded : [excluded];
    return (value, present) => present && !values.some((candidate) => scalarEquals(candidate, value));
  }
  return () => false;
};

const matchesAt = (pattern: Record<string, unknown>, subject: unknown): boolean =>
  Object.entries(pattern).every(([key, rule]) => {
    const present = isRecord(subject) && key in subject;
    const value = present ? subject[key] : undefined;
    if (Array.isArray(rule)) return rule.some((condition) => matcherOf(condition)(value, present));
    if (isRecord(rule)) return matchesAt(rule, value);
    return false;
  });

/** Whether `record` passes one filter pattern (the parsed `Pattern` of a FilterCriteria filter). */
export const matchesFilterPattern = (pattern: unknown, record: unknown): boolean =>
  isRecord(pattern) && matchesAt(pattern, record);

/** Whether `record` reaches a function with these patterns (none: every record). */
export const passesFilters = (patterns: readonly unknown[], record: unknown): boolean =>
  patterns.length === 0 || patterns.some((pattern) => matchesFilterPattern(pattern, record));
