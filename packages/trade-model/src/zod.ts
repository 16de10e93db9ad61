import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini keeps every Lambda bundle small; only the English messages are loaded. Modules import this file
// as a namespace (`import * as z from './zod'`) so that esbuild keeps only what they use.
config(en());

export * from 'zod/mini';
