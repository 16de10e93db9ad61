// Deterministic finance tests and quiet logs unless a test asks for them.
process.env.TZ = 'UTC';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_DEV ??= 'false';
