/**
 * The boot storm's CPU budget (issue 9). A load's boot storm rate is bounded twice: by its one
 * JavaScript thread (a load process runs every station's code on it), and by the machine's cores,
 * which the load and the CSMS share. The fleet bench reads both processes' CPU per boot, so the
 * issue's rate goal turns into a CPU figure per boot that can be set against the station's own
 * (docs/fleet.md, "The boot storm's CPU budget").
 */

/** One load's boot storm, as the fleet bench measured it. */
export interface BootCost {
  /** Boots per second. */
  rate: number;
  /** CPU of the load process per boot (all its threads), ms. */
  loadMs: number;
  /** CPU of the CSMS process per boot over the same window, ms. */
  csmsMs: number;
}

/**
 * Cores kept busy during the boot storm by the load and the CSMS together. Near the machine's
 * cores: the rate was bounded by CPU; near 1 with a load far above the CSMS: by the load's thread.
 *
 * @example
 * coresBusy({ rate: 1000, loadMs: 1.1, csmsMs: 0.8 }); // 1.9
 */
export function coresBusy(cost: BootCost): number {
  return ((cost.loadMs + cost.csmsMs) * cost.rate) / 1000;
}

/**
 * The load CPU per boot (ms) that reaches `targetRate` boots/s on one JavaScript thread: a fleet in
 * one thread cannot boot faster than one boot per this many ms of its CPU.
 *
 * @example
 * threadBudgetMs(1250); // 0.8
 */
export function threadBudgetMs(targetRate: number): number {
  return 1000 / targetRate;
}

/**
 * The load CPU per boot (ms) that reaches `targetRate` boots/s when the load may use every core
 * (worker threads) and shares them with a CSMS costing `csmsMs` per boot. Negative: the CSMS's part
 * alone exceeds the cores.
 *
 * @example
 * // 2 cores, 1,400 boots/s, a CSMS spending 0.4 ms per boot:
 * coresBudgetMs(1400, 2, 0.4); // ≈ 1.029
 */
export function coresBudgetMs(targetRate: number, cores: number, csmsMs: number): number {
  return (cores * 1000) / targetRate - csmsMs;
}
