/**
 * The library's browser entry (`randwire/browser`): everything here runs in a web page, and
 * nothing it imports touches `node:*` modules, the file system or the native addon (the test
 * test/web/browser-entry.test.ts walks its imports to keep it so). Loading a saved RandWire model:
 *
 *   import * as tf from '@tensorflow/tfjs';
 *   import { registerLayers, readInputPreprocessing, preprocessPixels } from 'randwire/browser';
 *   registerLayers();
 *   const model = await tf.loadLayersModel('/runs/randwire-ws/model/model.json');
 */
export { LATEST_SEEDING, type Seeding } from './core/rng.js';
export { GENERATORS, generateGraph, generatorSpec, isGeneratorName, resolveParams, type GeneratorName, type GeneratorSpec } from './graph/generators.js';
export type { ParamSpec } from './graph/params.js';
export type { Dag, RandomGraph } from './graph/types.js';
export { graphStats, type GraphStats } from './graph/stats.js';
export { inputNodes, outputNodes, predecessors, successors, topologicalOrder, longestPath } from './graph/dag.js';
export { parseGraph, stringifyGraph, validateGraph, toGraphJson } from './graph/format.js';
export { importGraph, IMPORT_ORDERS } from './graph/import.js';
export { toDot, nodeRole, NODE_COLOURS, LAYOUTS, type Layout } from './graph/dot.js';
export { drawGraph } from './graph/draw.js';
export { graphLayout, graphTitle } from './graph/describe.js';
export { MODELS, MODEL_NAMES, DEFAULT_MODEL_OPTIONS, modelPlan, type ModelOptions } from './model/registry.js';
export { randwirePlan, stageGraphSeed } from './model/randwire.js';
export { complexity } from './model/complexity.js';
export { buildModel } from './model/build.js';
export { registerLayers } from './model/register.js';
export { WeightedSum, SeededDropout } from './model/layers.js';
export { readInputPreprocessing, preprocessPixels, PREPROCESSING_KEY, type InputPreprocessing } from './model/preprocessing.js';
export { describe, welchTTest, mannWhitneyU, holm, pearson, spearman } from './analysis/index.js';
export { isRandwireError, RandwireError } from './core/errors.js';
export { assertFinite } from './core/finite.js';
export { toModelPixels } from './data/pixels.js';
