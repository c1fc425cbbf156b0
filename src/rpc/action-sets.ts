/**
 * Sets of OCPP actions shared by every connection that uses the same list (issue 9): an endpoint
 * per connection used to copy its supported and outgoing actions into two Sets of its own (~1.4 KB
 * per station in a fleet, where every station passes the same list).
 */
import type { OcppAction } from '../generated/ocpp-types.js';

/** One frozen Set per distinct list of actions (same actions in the same order). */
const shared = new Map<string, ReadonlySet<OcppAction>>();
/** The Set of each list object seen (constant lists: found without reading them again). */
const byList = new WeakMap<Iterable<OcppAction>, ReadonlySet<OcppAction>>();

/**
 * The Set of `actions`, shared with every caller that passes the same actions in the same order.
 * It is a snapshot of the list: pass a list that is not changed afterwards (a list object seen
 * before is answered from its first snapshot; the station's lists are constants).
 *
 * @example
 * actionSet(['Reset', 'GetVariables']) === actionSet(['Reset', 'GetVariables']); // true
 */
export function actionSet(actions: Iterable<OcppAction>): ReadonlySet<OcppAction> {
  const seen = byList.get(actions);
  if (seen !== undefined) return seen;
  const list = [...actions];
  const key = list.join(',');
  let set = shared.get(key);
  if (set === undefined) {
    set = Object.freeze(new Set(list));
    shared.set(key, set);
  }
  byList.set(actions, set);
  return set;
}
