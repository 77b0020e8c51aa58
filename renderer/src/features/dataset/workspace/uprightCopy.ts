// The pixels of an EXIF-rotated image turned upright, for dataset:writeUprightCopy. Chromium
// applies the orientation tag when it decodes (the one thing the canvas works around to show what
// training reads), and a canvas re-encodes the result without any tag, so training reads the
// copy upright too. No native image library is involved: PNG stays lossless, anything else
// becomes a JPEG at quality 0.95 (a second JPEG encoding loses a little detail).

import type { ImageResult } from '../../../../../shared/dataset/workspaceApi';
import { base64OfBytes, bytesOfBase64 } from './imageBytes';

const JPEG_QUALITY = 0.95;

export interface UprightCopy {
  mime: 'image/png' | 'image/jpeg';
  base64: string;
}

export async function makeUprightCopy(image: ImageResult): Promise<UprightCopy> {
  const bitmap = await createImageBitmap(new Blob([bytesOfBase64(image.base64)], { type: image.mime }));
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser has no 2D canvas.');
    context.drawImage(bitmap, 0, 0);
    const mime = image.mime === 'image/png' ? 'image/png' : 'image/jpeg';
    const blob = await canvas.convertToBlob(mime === 'image/png' ? { type: mime } : { type: mime, quality: JPEG_QUALITY });
    return { mime, base64: base64OfBytes(new Uint8Array(await blob.arrayBuffer())) };
  } finally {
    bitmap.close();
  }
}
