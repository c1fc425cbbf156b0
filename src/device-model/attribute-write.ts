/**
 * A value to store for one attribute: its own module because the public DeviceModel's types reach
 * it (value-commits.ts), and the store module's declarations import better-sqlite3's types, which
 * a package user need not have installed (test/package/pack-install.test.ts).
 */
import type { AttributeState, VariableState } from './model-index.js';

/** A value to store for one attribute. */
export interface AttributeWrite {
  variable: VariableState;
  attribute: AttributeState;
  value: string;
}
