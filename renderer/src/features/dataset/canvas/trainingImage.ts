import { findOrientationTag, withOrientation } from './exifOrientation';

export interface TrainingImage {
  readonly bitmap: ImageBitmap;
  /** The file's EXIF orientation (1 when it has none): not 1 is flagged to the user. */
  readonly exifOrientation: number;
}

/**
 * Decodes an image as training reads it. Qwen-VL opens images with PIL and never applies the
 * EXIF orientation, while browsers always do; boxes drawn on the turned image would land
 * elsewhere in training. So a copy whose tag says 1 is decoded: the pixels in stored order.
 */
export async function decodeAsTrainingSees(image: Blob): Promise<TrainingImage> {
  const bytes = new Uint8Array(await image.arrayBuffer());
  const tag = findOrientationTag(bytes);
  const stored = tag && tag.value !== 1 ? new Blob([withOrientation(bytes, tag, 1)], { type: image.type }) : image;
  return { bitmap: await createImageBitmap(stored), exifOrientation: tag?.value ?? 1 };
}
