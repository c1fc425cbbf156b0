/** One problem found in a device model configuration. */
export interface DeviceModelConfigIssue {
  /** The file (or in-memory source name) the problem is in; absent for problems of the whole config. */
  file?: string;
  /** Where in the device model: `Component[instance]@evse/connector.Variable[instance]:Attribute`. */
  location?: string;
  /** What is wrong. */
  message: string;
}

/**
 * A device model configuration (component config files, EVSE structure or start-up overrides)
 * that cannot be used. Carries every problem found, so one run reports them all; nothing was
 * written to the store.
 *
 * @example
 * try {
 *   await loadComponentConfig('config/component-config');
 * } catch (error) {
 *   if (error instanceof DeviceModelConfigError) for (const issue of error.issues) console.error(issue);
 * }
 */
export class DeviceModelConfigError extends Error {
  override readonly name = 'DeviceModelConfigError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_DEVICE_MODEL_CONFIG';
  readonly issues: readonly DeviceModelConfigIssue[];

  constructor(issues: readonly DeviceModelConfigIssue[]) {
    const lines = issues.map(formatIssue);
    super(
      lines.length === 1
        ? `Invalid device model configuration: ${lines[0]}`
        : `Invalid device model configuration (${lines.length} problems):\n${lines.map((l) => `- ${l}`).join('\n')}`,
    );
    this.issues = issues;
  }
}

function formatIssue(issue: DeviceModelConfigIssue): string {
  const where = [issue.file, issue.location].filter((part) => part !== undefined && part !== '').join(': ');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/**
 * A stored value the device model could not keep at open (the configuration no longer allows it:
 * format, range, valuesList, mutability, or its variable is gone); the config value applies instead.
 * ChargePoint reports each through `onError`.
 *
 * @example
 * onError: (e) => { if (e instanceof DeviceModelWarning) console.warn(e.message); }
 */
export class DeviceModelWarning extends Error {
  override readonly name = 'DeviceModelWarning';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_DEVICE_MODEL_VALUE_DROPPED';
}
