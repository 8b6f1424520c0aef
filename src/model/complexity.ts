import type { ModelPlan, Op } from './plan.js';
import { INPUT } from './plan.js';

export type Shape = number[];

export interface LayerComplexity {
  name: string;
  kind: Op['kind'];
  outputShape: Shape;
  /** All weights, as tfjs countParams() counts them (batch-norm moving statistics included). */
  params: number;
  trainableParams: number;
  /** Multiply-adds per image (convolutions and dense layers only, as Xie et al. count). */
  flops: number;
}

export interface Complexity {
  params: number;
  trainableParams: number;
  flops: number;
  layers: LayerComplexity[];
}

function convOut(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

function layerCost(op: Op, inputs: Shape[]): { out: Shape; params: number; trainable: number; flops: number } {
  const x = inputs[0]!;
  switch (op.kind) {
    case 'conv': {
      const [h, w, c] = x as [number, number, number];
      const oh = convOut(h, op.kernel, op.stride, op.padding);
      const ow = convOut(w, op.kernel, op.stride, op.padding);
      const p = op.kernel * op.kernel * c * op.filters + (op.bias ? op.filters : 0);
      return { out: [oh, ow, op.filters], params: p, trainable: p, flops: oh * ow * op.filters * op.kernel * op.kernel * c };
    }
    case 'sepconv': {
      const [h, w, c] = x as [number, number, number];
      const oh = convOut(h, op.kernel, op.stride, 'same');
      const ow = convOut(w, op.kernel, op.stride, 'same');
      const p = op.kernel * op.kernel * c + c * op.filters;
      return { out: [oh, ow, op.filters], params: p, trainable: p, flops: oh * ow * c * (op.kernel * op.kernel + op.filters) };
    }
    case 'bn': {
      const c = x[x.length - 1]!;
      return { out: x, params: 4 * c, trainable: 2 * c, flops: 0 };
    }
    case 'maxpool': {
      const [h, w, c] = x as [number, number, number];
      return { out: [convOut(h, op.size, op.stride, op.padding), convOut(w, op.size, op.stride, op.padding), c], params: 0, trainable: 0, flops: 0 };
    }
    case 'gap':
      return { out: [x[2]!], params: 0, trainable: 0, flops: 0 };
    case 'flatten':
      return { out: [x.reduce((a, b) => a * b, 1)], params: 0, trainable: 0, flops: 0 };
    case 'dense': {
      const n = x[0]!;
      const p = n * op.units + op.units;
      return { out: [op.units], params: p, trainable: p, flops: n * op.units };
    }
    case 'weightedSum':
      return { out: x, params: inputs.length, trainable: inputs.length, flops: 0 };
    case 'relu':
    case 'dropout':
    case 'mean':
      return { out: x, params: 0, trainable: 0, flops: 0 };
  }
}

/** Shapes, parameters and multiply-adds of a plan, without tfjs. */
export function complexity(plan: ModelPlan): Complexity {
  const shapes = new Map<string, Shape>([[INPUT, plan.inputShape]]);
  const layers: LayerComplexity[] = [];
  for (const layer of plan.layers) {
    const inputs = layer.inputs.map((n) => {
      const s = shapes.get(n);
      if (!s) throw new Error(`layer ${layer.name} reads unknown layer ${n}`);
      return s;
    });
    const c = layerCost(layer.op, inputs);
    shapes.set(layer.name, c.out);
    layers.push({ name: layer.name, kind: layer.op.kind, outputShape: c.out, params: c.params, trainableParams: c.trainable, flops: c.flops });
  }
  const sum = (f: (l: LayerComplexity) => number): number => layers.reduce((a, l) => a + f(l), 0);
  return { params: sum((l) => l.params), trainableParams: sum((l) => l.trainableParams), flops: sum((l) => l.flops), layers };
}
