/**
 * Whether the optional native kernels compute the custom layers now. The model code must load in
 * a browser, so it cannot import the addon's loader (node:module, a .node file); the Node side
 * (backend/native/register.ts) injects this predicate instead. Nothing injects it in a browser,
 * and the layers use plain tfjs ops there.
 */
let active: () => boolean = () => false;

export function setFastPathPredicate(predicate: () => boolean): void {
  active = predicate;
}

export function fastPathActive(): boolean {
  return active();
}
