import type { LocalizedText } from '../i18n/localizedText';

export interface GuideStep {
  readonly id: string;
  readonly title: LocalizedText;
  readonly summary: LocalizedText;
}

/** A ModelArts guide as data: adding another guide with the same skeleton adds a file like this one. */
export interface Guide {
  readonly id: string;
  readonly title: LocalizedText;
  readonly version: string;
  readonly steps: readonly GuideStep[];
}
