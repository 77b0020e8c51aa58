import { crc32, deflateSync } from 'node:zlib';

// Real, decodable PNG files for the dataset tests: the service probes their headers, Chromium draws them.

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(width: number, height: number, colorType: 0 | 2, rows: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = colorType;
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** An all-black greyscale PNG: enough where only the size matters. */
export function blackPng(width: number, height: number): Buffer {
  // Each row: filter byte 0, then black pixels.
  return png(width, height, 0, Buffer.alloc((width + 1) * height));
}

/** An RGB PNG whose pixels `color` paints, so thumbnails and screenshots tell images apart. */
export function rgbPng(width: number, height: number, color: (x: number, y: number) => readonly [number, number, number]): Buffer {
  const stride = width * 3 + 1;
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * stride + 1 + x * 3;
      const [r, g, b] = color(x, y);
      rows[at] = r & 255;
      rows[at + 1] = g & 255;
      rows[at + 2] = b & 255;
    }
  }
  return png(width, height, 2, rows);
}
