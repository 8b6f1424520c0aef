import { PNG } from 'pngjs';
import { toModelPixels } from './pixels.js';
import { isRandwireError, RandwireError } from '../core/errors.js';
import { LIMITS, formatCount } from '../core/limits.js';
import { readBounded } from '../io/files.js';

/**
 * Read a PNG as 0-255 values of shape [height, width, channels] (1 = luminance, 3 = RGB),
 * transparent pixels composited on black, resized with area averaging (MNIST's digits are light
 * on black; `invert` flips dark-on-light images).
 */
export function readPngImage(path: string, height: number, width: number, channels: number, invert = false): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readBounded(path, 'image', LIMITS.imagePixels * 4, 'a PNG image');
  } catch (e) {
    // The data layer's word for a problem with an image, whatever read it.
    throw isRandwireError(e) ? new RandwireError('data', e.message.replace(/^io: /, '')) : e;
  }
  checkPngSize(bytes, path);
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch {
    // pngjs's own messages ("Invalid file signature", "unrecognised content at end of stream") say little to a user.
    throw new RandwireError('data', `${path} is not a valid PNG image (damaged, truncated or another format)`);
  }
  return toModelPixels(png.data, png.width, png.height, height, width, channels, invert);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width x height from the PNG header (its first chunk, IHDR), checked against the pixel limit before anything is decoded. */
function checkPngSize(bytes: Uint8Array, path: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isPng = bytes.length >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b) && String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR';
  if (!isPng) throw new RandwireError('data', `${path} is not a valid PNG image (damaged, truncated or another format)`);
  const w = view.getUint32(16);
  const h = view.getUint32(20);
  if (w * h > LIMITS.imagePixels) {
    throw new RandwireError(
      'data',
      `${path} is ${w}x${h} pixels, more than the ${formatCount(LIMITS.imagePixels)} (${Math.sqrt(LIMITS.imagePixels)}x${Math.sqrt(LIMITS.imagePixels)}) randwire decodes`,
    );
  }
}

/** Write 0-255 grey values [height, width] as a PNG (used to export test digits). */
export function writeGreyPng(values: Uint8Array, height: number, width: number): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data[i * 4] = png.data[i * 4 + 1] = png.data[i * 4 + 2] = values[i]!;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}
