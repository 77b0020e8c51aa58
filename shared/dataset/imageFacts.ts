/**
 * What the validator needs to know about an image file. Reading files is the caller's job (the
 * Node probe in electron/main/services/dataset/imageProbe.ts, or the renderer for a dropped
 * file); the validator only judges the facts.
 */

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';

export interface ImageFacts {
  exists: boolean;
  /** true: a well-formed header and an intact ending; false: corrupt or cut short; null: a
   * format the probe does not read (PIL may still open it). */
  decodes: boolean | null;
  format: ImageFormat | null;
  /** As stored, i.e. as PIL opens it for training (no EXIF rotation applied). */
  width: number | null;
  height: number | null;
  /** EXIF Orientation tag (1–8) when the file has one. */
  exifOrientation: number | null;
  /** Why it does not exist or does not decode, in English; null when it does. */
  reason: string | null;
}

/** Facts for an image path as written in a value; undefined when not (yet) known. */
export type ImageFactsLookup = (path: string) => ImageFacts | undefined;

/** Paths training fetches over the network instead of opening (every rank, every step). */
export function isRemoteImagePath(path: string): boolean {
  return /^https?:\/\//i.test(path);
}
