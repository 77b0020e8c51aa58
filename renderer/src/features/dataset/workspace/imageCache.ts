// Images of the dataset, fetched through dataset:image and decoded as training sees them (EXIF
// orientation not applied). A few stay decoded, so going back and forth between neighbouring
// samples does not fetch again; the one on the canvas is never closed under it.

import type { ImageResult } from '../../../../../shared/dataset/workspaceApi';
import type { TrainingImage } from '../canvas/trainingImage';
import { decodeImage } from './imageBytes';

export type FetchImage = (path: string) => Promise<ImageResult>;

/** Decoded images kept besides the one shown. */
const KEPT = 6;

export class ImageCache {
  private readonly entries = new Map<string, Promise<TrainingImage>>();
  private readonly pinned = new Set<string>();

  constructor(private readonly fetchImage: FetchImage) {}

  /** The decoded image at `path` (as written in the sample); a failed fetch is not kept. */
  get(path: string): Promise<TrainingImage> {
    let entry = this.entries.get(path);
    if (entry) this.entries.delete(path);
    else {
      entry = this.fetchImage(path).then((result) => decodeImage(result));
      entry.catch(() => {
        if (this.entries.get(path) === entry) this.entries.delete(path);
      });
    }
    this.entries.set(path, entry);
    this.evict();
    return entry;
  }

  /** The image on the canvas: kept until another one takes its place. */
  pin(path: string | null): void {
    this.pinned.clear();
    if (path !== null) this.pinned.add(path);
    this.evict();
  }

  clear(): void {
    for (const [path, entry] of this.entries) if (!this.pinned.has(path)) void entry.then((image) => image.bitmap.close(), () => undefined);
    for (const path of [...this.entries.keys()]) if (!this.pinned.has(path)) this.entries.delete(path);
  }

  private evict(): void {
    for (const [path, entry] of this.entries) {
      if (this.entries.size <= KEPT + this.pinned.size) return;
      if (this.pinned.has(path)) continue;
      this.entries.delete(path);
      void entry.then((image) => image.bitmap.close(), () => undefined);
    }
  }
}
