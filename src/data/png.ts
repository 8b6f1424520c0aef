import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
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
  const src = new Float32Array(png.width * png.height * channels);
  for (let i = 0; i < png.width * png.height; i++) {
    const a = png.data[i * 4 + 3]! / 255;
    const rgb = [png.data[i * 4]! * a, png.data[i * 4 + 1]! * a, png.data[i * 4 + 2]! * a];
    if (channels === 1) src[i] = 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!;
    else for (let c = 0; c < channels; c++) src[i * channels + c] = rgb[c % 3]!;
  }
  const out = new Uint8Array(height * width * channels);
  const sy = png.height / height;
  const sx = png.width / width;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        let n = 0;
        for (let yy = y0; yy < Math.min(y1, png.height); yy++) {
          for (let xx = x0; xx < Math.min(x1, png.width); xx++) {
            sum += src[(yy * png.width + xx) * channels + c]!;
            n++;
          }
        }
        const v = Math.round(sum / Math.max(1, n));
        out[(y * width + x) * channels + c] = invert ? 255 - v : v;
      }
    }
  }
  return out;
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
