/** The study's Table 1 (Corum 2021), as published; shown beside our numbers. */
export const STUDY_TABLE1: Record<string, { label: string; testAccuracy: number; testLoss: number }> = {
  'randwire-er': { label: 'RandWire, ER(0.2)', testAccuracy: 0.6949, testLoss: 1.016 },
  'randwire-ba': { label: 'RandWire, BA(5)', testAccuracy: 0.7167, testLoss: 0.9562 },
  'randwire-ws': { label: 'RandWire, WS(4, 0.75)', testAccuracy: 0.5431, testLoss: 1.146 },
  alexnet: { label: 'AlexNet', testAccuracy: 0.964, testLoss: 57.07 },
  tinycnn: { label: 'TinyCNN', testAccuracy: 0.9917, testLoss: 0.0416 },
  handmadecnn: { label: 'HandmadeCNN', testAccuracy: 0.9946, testLoss: 0.02386 },
};

/** The six models of the study, in its table's order, with their model options. */
export const STUDY_MODELS = [
  { id: 'randwire-er', model: 'randwire', generator: 'er', graphParams: { p: 0.2 } },
  { id: 'randwire-ba', model: 'randwire', generator: 'ba', graphParams: { m: 5 } },
  { id: 'randwire-ws', model: 'randwire', generator: 'ws', graphParams: { k: 4, p: 0.75 } },
  { id: 'alexnet', model: 'alexnet' },
  { id: 'tinycnn', model: 'tinycnn' },
  { id: 'handmadecnn', model: 'handmadecnn' },
] as const;

export type StudyModelId = (typeof STUDY_MODELS)[number]['id'];
