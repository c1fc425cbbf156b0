/**
 * The start-up check of the stored configuration: settings the station cannot use as they are
 * (from an older database, a host write, a component config without limits) and network profiles
 * whose content cannot work. The readers clamp or fall back at use time and never throw; this says
 * so once, at start, through `onError`.
 */
import { connectionDataProblem } from './connection-data-check.js';
import { NetworkProfileError, readNetworkProfiles } from './network-profiles.js';
import type { DeviceModelPort } from './ports.js';
import { storedSettingProblems } from './setting-rules.js';

/**
 * Every problem of the stored configuration, as errors to report.
 *
 * @example
 * for (const problem of configurationProblems(deviceModel)) onError(problem);
 */
export function configurationProblems(dm: DeviceModelPort): Error[] {
  const problems: Error[] = storedSettingProblems(dm);
  let profiles: ReturnType<typeof readNetworkProfiles> = [];
  try {
    profiles = readNetworkProfiles(dm);
  } catch {
    // An unreadable list stops the start with its own NetworkProfileError (never silently replaced).
  }
  for (const { configurationSlot, connectionData } of profiles) {
    const problem = connectionDataProblem(connectionData);
    if (problem === undefined) continue;
    const fallback = problem.startsWith('messageTimeout')
      ? '; OCPPCommCtrlr.MessageTimeout[Default] is used instead'
      : '';
    problems.push(
      new NetworkProfileError(
        `InternalCtrlr.NetworkConnectionProfiles slot ${configurationSlot}: ${problem}${fallback}`,
      ),
    );
  }
  return problems;
}
