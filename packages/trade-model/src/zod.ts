import en from 'zod/v4/locales/en.js';
import * as z from 'zod/mini';

// zod/mini keeps every Lambda bundle small (~20 KB instead of ~450 KB); only the English messages are loaded.
z.config(en());

export { z };
