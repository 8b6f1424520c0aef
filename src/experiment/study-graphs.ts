/** The six graphs drawn in the study's Figures 3-5 (N = 32 each). */
export const STUDY_GRAPH_FIGURES = [
  { file: 'er-0.3', generator: 'er', params: { p: 0.3 } },
  { file: 'er-0.15', generator: 'er', params: { p: 0.15 } },
  { file: 'ba-4', generator: 'ba', params: { m: 4 } },
  { file: 'ba-2', generator: 'ba', params: { m: 2 } },
  { file: 'ws-4-0.75', generator: 'ws', params: { k: 4, p: 0.75 } },
  { file: 'ws-4-0.1', generator: 'ws', params: { k: 4, p: 0.1 } },
] as const;
