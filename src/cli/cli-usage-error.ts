/** The error of a command line the CLI cannot run (cli-options.ts). */

/**
 * A command line the CLI cannot run: unknown option, missing or bad value. Exit code 2.
 *
 * @example
 * try {
 *   parseCliOptions(['--clock', 'tomorrow']);
 * } catch (error) {
 *   if (error instanceof CliUsageError) console.error(error.message); // --clock "tomorrow": expected an RFC 3339 instant ...
 * }
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  /** Catalogue code (docs/errors.md). */
  readonly code = 'ERR_CLI_USAGE';
}
