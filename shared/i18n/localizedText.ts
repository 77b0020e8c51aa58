import type { Language } from '../settings/settings';

/** Text that ships in both languages with the data it describes (guide steps, check results). */
export type LocalizedText = Readonly<Record<Language, string>>;
