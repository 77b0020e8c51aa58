// Thumbnails for the rows in view: fetched through dataset:image, decoded as training sees them and
// shrunk while decoding, a few at a time, newest request first. A request whose row scrolled away
// before its turn is dropped, so a fast scroll does not queue thousands of images. A thumbnail is
// kept as a small PNG behind an object URL: rows show it in an <img>, which costs the compositor
// nothing, where a canvas per row made every scrolled frame slower.

import { decodeImage } from '../workspace/imageBytes';
import type { FetchImage } from '../workspace/imageCache';

/** At once: enough to fill a screen quickly, few enough to leave the canvas's image a free lane. */
const CONCURRENCY = 3;
/** Thumbnails kept (a few KB each). */
const KEPT = 600;

/** An object URL of the thumbnail, or null when the image could not be read. */
export type Thumbnail = string | null;
type Ready = (thumbnail: Thumbnail) => void;

interface Job {
  path: string;
  waiting: Set<Ready>;
}

export class ThumbnailLoader {
  private readonly done = new Map<string, Thumbnail>();
  private readonly queued = new Map<string, Job>();
  private readonly running = new Map<string, Job>();
  /** Bumped by clear(): thumbnails of an earlier generation are thrown away when they arrive. */
  private generation = 0;

  /** `edge`: the thumbnail's height in device pixels (the width follows the image's shape). */
  constructor(
    private readonly fetchImage: FetchImage,
    private readonly edge: number,
  ) {}

  /** A thumbnail made before, or undefined. */
  cached(path: string): Thumbnail | undefined {
    return this.done.get(path);
  }

  /** Calls `ready` once the thumbnail is made; the returned function withdraws the request. */
  request(path: string, ready: Ready): () => void {
    const made = this.done.get(path);
    if (made !== undefined) {
      ready(made);
      return () => undefined;
    }
    const job = this.running.get(path) ?? this.queued.get(path) ?? { path, waiting: new Set<Ready>() };
    job.waiting.add(ready);
    if (!this.running.has(path)) {
      // Newest last: the queue is taken from the end.
      this.queued.delete(path);
      this.queued.set(path, job);
    }
    this.pump();
    return () => {
      job.waiting.delete(ready);
      if (job.waiting.size === 0) this.queued.delete(path);
    };
  }

  /** Forgets everything (another workspace); requests made after it work as before. */
  clear(): void {
    this.generation++;
    this.queued.clear();
    this.running.clear();
    for (const url of this.done.values()) if (url) URL.revokeObjectURL(url);
    this.done.clear();
  }

  private pump(): void {
    while (this.running.size < CONCURRENCY && this.queued.size > 0) {
      const job = [...this.queued.values()].at(-1) as Job;
      this.queued.delete(job.path);
      this.running.set(job.path, job);
      const generation = this.generation;
      void this.make(job.path).then((thumbnail) => {
        if (generation !== this.generation) {
          if (thumbnail) URL.revokeObjectURL(thumbnail);
          return;
        }
        this.running.delete(job.path);
        this.keep(job.path, thumbnail);
        for (const ready of job.waiting) ready(thumbnail);
        this.pump();
      });
    }
  }

  private async make(path: string): Promise<Thumbnail> {
    try {
      // Shrunk while decoding, off the main thread: no full-size bitmap is ever made.
      const { bitmap } = await decodeImage(await this.fetchImage(path), { resizeHeight: this.edge, resizeQuality: 'medium' });
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      canvas.getContext('bitmaprenderer')?.transferFromImageBitmap(bitmap);
      return URL.createObjectURL(await canvas.convertToBlob({ type: 'image/png' }));
    } catch {
      return null;
    }
  }

  private keep(path: string, thumbnail: Thumbnail): void {
    this.done.set(path, thumbnail);
    for (const [old, url] of this.done) {
      if (this.done.size <= KEPT) return;
      this.done.delete(old);
      if (url) URL.revokeObjectURL(url);
    }
  }
}
