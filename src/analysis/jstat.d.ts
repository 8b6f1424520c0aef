// jstat 1.9.6 ships no types. Only the functions src/analysis calls are declared, so a call to
// anything else fails to compile instead of silently typing as `any`. The package is CommonJS
// (`module.exports = jStat`), so under ESM the default import is the jStat function itself.
declare module 'jstat' {
  interface JStat {
    /** Error function; its absolute error is ~1e-16, so only its central range is used as is. */
    erf(x: number): number;
    studentt: {
      pdf(x: number, dof: number): number;
      /** Quantile; only ~1e-8 accurate (its Newton loop stops early), hence refined by the caller. */
      inv(p: number, dof: number): number;
    };
  }
  const jStat: JStat;
  export = jStat;
}
