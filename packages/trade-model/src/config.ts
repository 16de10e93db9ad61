export class MissingEnvironmentVariableError extends Error {
  override readonly name = 'MissingEnvironmentVariableError';
  constructor(readonly variable: string) {
    super(`Environment variable ${variable} is not set`);
  }
}

/** Reads a required environment variable (call at cold start); throws when it is missing or empty. */
export const getEnvVariable = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new MissingEnvironmentVariableError(name);
  return value;
};

/** Reads an optional environment variable; empty counts as absent. */
export const getOptionalEnvVariable = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Builds a value on first use and keeps it: side effects read their configuration only when a function
 * really touches them, so each function needs only the variables (and permissions) of what it uses.
 */
export const lazily = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
};
