import { RandwireError } from '../core/errors.js';

/** One rung of a successive-halving bracket: how many trials train to how many epochs. */
export interface Rung {
  trials: number;
  epochs: number;
}

/** One bracket: successive halving started from `rungs[0].trials` trials. */
export interface Bracket {
  /** Li et al.'s s: the number of halvings in this bracket. */
  s: number;
  rungs: Rung[];
}

export interface HyperbandSettings {
  /** Reduction factor: a rung keeps the best 1/eta of its trials. */
  eta: number;
  minEpochs: number;
  maxEpochs: number;
  /** How many brackets, most explorative first; default all s_max + 1 (Hyperband), 1 = successive halving. */
  brackets?: number;
}

/**
 * Epochs of rung i of a bracket with s halvings: maxEpochs / eta^(s - i), rounded to a whole
 * epoch and at least minEpochs, so the top rung is always maxEpochs and every rung trains longer
 * than the one below it. A trial trained to a rung continues from its checkpoint to the next.
 */
function rungEpochs(settings: HyperbandSettings, s: number, i: number): number {
  const raw = settings.maxEpochs / settings.eta ** (s - i);
  return Math.max(settings.minEpochs, Math.round(raw));
}

/** Li et al. (2018) Algorithm 1's s_max: floor(log_eta(R)), R = maxEpochs / minEpochs. */
export function maxHalvings(settings: HyperbandSettings): number {
  const ratio = settings.maxEpochs / settings.minEpochs;
  // Rounding guards log(81)/log(3) = 3.9999999999999996.
  return Math.floor(Math.log(ratio) / Math.log(settings.eta) + 1e-9);
}

export function checkHyperband(settings: HyperbandSettings): string[] {
  const problems: string[] = [];
  const { eta, minEpochs, maxEpochs, brackets } = settings;
  if (!Number.isInteger(eta) || eta < 2) problems.push(`eta must be an integer >= 2, got ${eta}`);
  if (!Number.isInteger(minEpochs) || minEpochs < 1) problems.push(`minEpochs must be an integer >= 1, got ${minEpochs}`);
  if (!Number.isInteger(maxEpochs) || maxEpochs < 1) problems.push(`maxEpochs must be an integer >= 1, got ${maxEpochs}`);
  const epochsValid = Number.isInteger(minEpochs) && minEpochs >= 1 && Number.isInteger(maxEpochs) && maxEpochs >= 1;
  // Independent of eta, so that both are named at once.
  if (epochsValid && minEpochs > maxEpochs) problems.push(`minEpochs (${minEpochs}) must not exceed maxEpochs (${maxEpochs})`);
  if (problems.length === 0 && brackets !== undefined) {
    const most = maxHalvings(settings) + 1;
    if (!Number.isInteger(brackets) || brackets < 1 || brackets > most) {
      problems.push(`brackets must be an integer from 1 to ${most} for epochs ${minEpochs}..${maxEpochs} and eta ${eta}, got ${brackets}`);
    }
  }
  return problems;
}

/**
 * Hyperband's brackets (Li et al. 2018, Algorithm 1), most explorative first: bracket s starts
 * n = ceil((s_max + 1) / (s + 1) * eta^s) trials and keeps floor(n_i / eta) at each rung, so every
 * bracket spends about the same epochs. With R = 81, eta = 3 this is the paper's Table 1.
 */
export function hyperbandBrackets(settings: HyperbandSettings): Bracket[] {
  const problems = checkHyperband(settings);
  if (problems.length > 0) throw new RandwireError('search', problems.join('; '));
  const sMax = maxHalvings(settings);
  const count = settings.brackets ?? sMax + 1;
  const brackets: Bracket[] = [];
  for (let s = sMax; s > sMax - count; s--) {
    const n = Math.ceil(((sMax + 1) / (s + 1)) * settings.eta ** s);
    const rungs: Rung[] = [];
    for (let i = 0; i <= s; i++) {
      rungs.push({ trials: Math.floor(n / settings.eta ** i), epochs: rungEpochs(settings, s, i) });
    }
    brackets.push({ s, rungs: mergeEqualRungs(rungs) });
  }
  return brackets;
}

/**
 * Rounding can give two rungs the same epochs. Keeping the best k of the best m at one epoch is
 * keeping the best k outright (the ranking is the same), so the later rung of such a pair goes.
 */
function mergeEqualRungs(rungs: Rung[]): Rung[] {
  const out: Rung[] = [];
  for (const r of rungs) {
    const last = out[out.length - 1];
    if (last && last.epochs === r.epochs) continue;
    out.push({ ...r });
  }
  return out;
}

/** Epochs a bracket spends when every rung is filled: sum over rungs of trials x epochs trained there. */
export function bracketEpochs(bracket: Bracket): number {
  let total = 0;
  let before = 0;
  for (const r of bracket.rungs) {
    total += r.trials * (r.epochs - before);
    before = r.epochs;
  }
  return total;
}
