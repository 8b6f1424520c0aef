import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-call.js';

interface EngineInternals {
  removeDataId(dataId: object, backend: unknown): void;
}

/**
 * Raw wasm buffers that fused ops keep between their forward and backward pass, outside the
 * engine's bookkeeping (no tape clones, no tensor objects): buffers of their own (`alloc`) and
 * tensors of the engine that the forward tidy would free (`retain`, what a clone does without the
 * dispatch). Each is released by the backward pass that reads it last, and whatever is left when
 * the step ends (a forward pass without backward, an error half-way) by `freeAll`.
 */
export class StepArena {
  private readonly live = new Set<TensorInfo>();
  private readonly owned = new Set<TensorInfo>();
  /** Bytes of the arena's own buffers held now (the micro-batch memory probe adds them). */
  bytes = 0;

  alloc(backend: WasmBackendLike, shape: number[]): TensorInfo {
    const t = backend.makeOutput(shape, 'float32');
    this.live.add(t);
    this.owned.add(t);
    this.bytes += 4 * shape.reduce((a, b) => a * b, 1);
    return t;
  }

  /** Keeps an engine tensor's buffer alive until it is freed here (the engine may dispose its tensor meanwhile). */
  retain(backend: WasmBackendLike, t: tf.Tensor): TensorInfo {
    backend.incRef(t.dataId);
    const info: TensorInfo = { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
    this.live.add(info);
    return info;
  }

  free(backend: WasmBackendLike, ...infos: TensorInfo[]): void {
    for (const t of infos) {
      if (!this.live.delete(t)) continue;
      this.bytes -= this.owned.delete(t) ? 4 * t.shape.reduce((a, b) => a * b, 1) : 0;
      // As engine.disposeTensor does: the last reference gone, the engine forgets the buffer too.
      if (backend.disposeData(t.dataId)) (tf.engine() as unknown as EngineInternals).removeDataId(t.dataId, backend);
    }
  }

  /** Hands a buffer over to the engine (which then frees it): the arena forgets it. */
  release(t: TensorInfo): void {
    if (!this.live.delete(t)) return;
    if (this.owned.delete(t)) this.bytes -= 4 * t.shape.reduce((a, b) => a * b, 1);
  }

  freeAll(backend: WasmBackendLike): void {
    this.free(backend, ...this.live);
  }
}
