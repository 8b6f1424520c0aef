/**
 * RGBA pixels (any size; from pngjs in Node or a canvas in a browser) to 0-255 model input values
 * of shape [height, width, channels] (1 = luminance, 3 = RGB): transparent pixels composited on
 * black, resized with area averaging, `invert` for dark-on-light images. Pure, so that
 * `randwire predict` and the dashboard's playground see the same pixels.
 */
export function toModelPixels(
  rgba: ArrayLike<number>,
  srcWidth: number,
  srcHeight: number,
  height: number,
  width: number,
  channels: number,
  invert = false,
): Uint8Array {
  const src = new Float32Array(srcWidth * srcHeight * channels);
  for (let i = 0; i < srcWidth * srcHeight; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    const rgb = [rgba[i * 4]! * a, rgba[i * 4 + 1]! * a, rgba[i * 4 + 2]! * a];
    if (channels === 1) src[i] = 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!;
    else for (let c = 0; c < channels; c++) src[i * channels + c] = rgb[c % 3]!;
  }
  const out = new Uint8Array(height * width * channels);
  const sy = srcHeight / height;
  const sx = srcWidth / width;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        let n = 0;
        for (let yy = y0; yy < Math.min(y1, srcHeight); yy++) {
          for (let xx = x0; xx < Math.min(x1, srcWidth); xx++) {
            sum += src[(yy * srcWidth + xx) * channels + c]!;
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
