import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { toModelPixels } from './pixels.js';
import { RandwireError } from '../core/errors.js';

/**
 * Read a PNG as 0-255 values of shape [height, width, channels] (1 = luminance, 3 = RGB),
 * transparent pixels composited on black, resized with area averaging (MNIST's digits are light
 * on black; `invert` flips dark-on-light images).
 */
export function readPngImage(path: string, height: number, width: number, channels: number, invert = false): Uint8Array {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RandwireError('data', `image not found: ${path}`);
    if (code === 'EISDIR') throw new RandwireError('data', `${path} is a directory, not a PNG image`);
    // pngjs's own messages ("Invalid file signature", "unrecognised content at end of stream") say little to a user.
    throw new RandwireError('data', `${path} is not a valid PNG image (damaged, truncated or another format)`);
  }
  return toModelPixels(png.data, png.width, png.height, height, width, channels, invert);
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
