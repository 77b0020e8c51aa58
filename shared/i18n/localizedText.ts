import { z } from 'zod';
import type { Language } from '../settings/settings';

/** Text that ships in both languages with the data it describes (guide steps, check results). */
export type LocalizedText = Readonly<Record<Language, string>>;
/** The same, as it crosses the API. */
export const LocalizedText = z.object({ zh: z.string(), en: z.string() }).readonly();
