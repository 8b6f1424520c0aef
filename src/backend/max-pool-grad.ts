import { backend_util, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-call.js';

/**
 * MaxPoolGrad for wasm. The wasm kernel starts its max search at the smallest *positive* float,
 * so in a window of negative values it sends the gradient to the wrong element. This routes
 * each output gradient to the first maximum of its window, exactly as the cpu backend does.
 */
export function maxPoolGrad(backend: WasmBackendLike, dy: TensorInfo, input: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const x = backend.readSync(input.dataId) as Float32Array;
  const g = backend.readSync(dy.dataId) as Float32Array;
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight: dh, dilationWidth: dw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = new Float32Array(x.length);
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * c;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const gBase = ((b * outHeight + oy) * outWidth + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let ky = 0; ky < fh; ky += dh) {
            const iy = y0 + ky;
            if (iy < 0 || iy >= inHeight) continue;
            for (let kx = 0; kx < fw; kx += dw) {
              const ix = x0 + kx;
              if (ix < 0 || ix >= inWidth) continue;
              const idx = xBatch + (iy * inWidth + ix) * c + ch;
              if (x[idx]! > best) {
                best = x[idx]!;
                at = idx;
              }
            }
          }
          if (at >= 0) dx[at]! += g[gBase + ch]!;
        }
      }
    }
  }
  return backend.makeOutput(input.shape, 'float32', undefined, dx);
}
