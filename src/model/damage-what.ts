/** What `randwire damage` and a sweep's damage analysis remove, one at a time. Pure, for specs and flags. */
export const DAMAGE_WHAT = ['nodes', 'edges', 'both'] as const;
export type DamageWhat = (typeof DAMAGE_WHAT)[number];
