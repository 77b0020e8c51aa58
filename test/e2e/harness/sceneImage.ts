// The harness's test image: a drawn scene with a 100 px grid (so screenshots show where boxes
// are), saved as a JPEG that carries EXIF orientation 6, as phone photos do.

export const SCENE_SIZE = { width: 960, height: 600 };

function drawScene(context: OffscreenCanvasRenderingContext2D): void {
  const { width, height } = SCENE_SIZE;
  const sky = context.createLinearGradient(0, 0, 0, height);
  sky.addColorStop(0, '#7fb4e6');
  sky.addColorStop(1, '#dcecf7');
  context.fillStyle = sky;
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#6c9a4b';
  context.fillRect(0, 420, width, 180);
  context.fillStyle = '#f6d36b';
  context.beginPath();
  context.arc(820, 110, 55, 0, 2 * Math.PI);
  context.fill();
  context.fillStyle = '#b5543c';
  context.fillRect(120, 250, 220, 190);
  context.fillStyle = '#6b3426';
  context.beginPath();
  context.moveTo(100, 255);
  context.lineTo(230, 150);
  context.lineTo(360, 255);
  context.fill();
  context.fillStyle = '#3f6f99';
  context.fillRect(190, 330, 70, 110);
  context.fillStyle = '#5b3a1f';
  context.fillRect(585, 330, 30, 120);
  context.fillStyle = '#2f7a3a';
  context.beginPath();
  context.arc(600, 300, 75, 0, 2 * Math.PI);
  context.fill();
  context.strokeStyle = 'rgb(0 0 0 / 0.18)';
  context.fillStyle = 'rgb(0 0 0 / 0.55)';
  context.font = '12px sans-serif';
  for (let x = 100; x < width; x += 100) {
    context.beginPath();
    context.moveTo(x + 0.5, 0);
    context.lineTo(x + 0.5, height);
    context.stroke();
    context.fillText(String(x), x + 3, 14);
  }
  for (let y = 100; y < height; y += 100) {
    context.beginPath();
    context.moveTo(0, y + 0.5);
    context.lineTo(width, y + 0.5);
    context.stroke();
    context.fillText(String(y), 3, y - 3);
  }
  // A red corner: where it lands after decoding tells whether the EXIF tag turned the image.
  context.fillStyle = '#ff0000';
  context.fillRect(0, 0, 40, 40);
}

/** An APP1 segment with a big-endian TIFF header and one IFD entry: Orientation (0x0112) = value. */
function exifOrientationSegment(orientation: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0xff, 0xe1, 0x00, 0x22,
    0x45, 0x78, 0x69, 0x66, 0x00, 0x00,
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01,
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  ]);
}

export async function sceneJpeg(orientation: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(SCENE_SIZE.width, SCENE_SIZE.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D context');
  drawScene(context);
  const jpeg = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 })).arrayBuffer());
  // Right after the start-of-image marker.
  return new Blob([jpeg.subarray(0, 2), exifOrientationSegment(orientation), jpeg.subarray(2)], { type: 'image/jpeg' });
}
