/**
 * The `require` of the CLI's snapshot bundle (scripts/build-snapshot.ts puts this module in front of
 * the bundle). While the snapshot is built, Node.js allows only built-in modules, and some of them
 * cannot be serialized on Node 20 (`node:http` holds a native parser handle: building aborts with
 * "Global handle not serialized"). So:
 * - built-ins listed in `lazyKeys` are stand-ins that load the real module on first use, which is
 *   after deserialization; while building, reading an export the module does not have gives
 *   undefined (ws feature-tests `http.websocketMask`), reading one it has is an error;
 * - other built-ins load at once;
 * - packages (better-sqlite3 and its native addon, the optional features' packages) load with a
 *   `require` of the package root created after deserialization; while building they are an error.
 */
'use strict';
/* global module */

module.exports = function createSnapshotRequire(builtinRequire, builtins, lazyKeys, root) {
  let runtimeRequire;
  const standIns = new Map();
  const deserialized = () => runtimeRequire !== undefined;

  builtinRequire('v8').startupSnapshot.addDeserializeCallback(() => {
    const { existsSync } = builtinRequire('fs');
    const { join } = builtinRequire('path');
    if (!existsSync(join(root, 'package.json'))) {
      process.stderr.write(
        `ocpp-station: this startup snapshot was built for ${root}, which is gone; run \`npm run build:snapshot\` again or delete dist/snapshot/\n`,
      );
      process.exit(1);
    }
    runtimeRequire = builtinRequire('module').createRequire(join(root, 'package.json'));
  });

  function standIn(name, keys) {
    let real;
    const load = (what) => {
      if (!deserialized())
        throw new Error(`snapshot build: node:${name} used while building (${String(what)})`);
      return (real ??= builtinRequire(name));
    };
    const known = (key) => typeof key === 'string' && keys.includes(key);
    return new Proxy(
      {},
      {
        get: (_target, key) => (deserialized() || known(key) ? load(key)[key] : undefined),
        has: (_target, key) => (deserialized() ? key in load(key) : known(key)),
        ownKeys: () => (deserialized() ? Reflect.ownKeys(load('keys')) : [...keys]),
        getOwnPropertyDescriptor: (_target, key) => {
          if (!deserialized())
            return known(key)
              ? { configurable: true, enumerable: true, writable: true, value: undefined }
              : undefined;
          const descriptor = Reflect.getOwnPropertyDescriptor(load(key), key);
          // The stand-in's target has no own properties: a proxy may only report configurable ones.
          return descriptor && { ...descriptor, configurable: true };
        },
      },
    );
  }

  /** require.resolve, after deserialization (the bundled better-sqlite3 finds its addon with it). */
  snapshotRequire.resolve = function resolve(id, options) {
    if (!deserialized()) throw new Error(`snapshot build: ${id} resolved while building`);
    return runtimeRequire.resolve(id, options);
  };
  return snapshotRequire;

  function snapshotRequire(id) {
    const name = id.startsWith('node:') ? id.slice(5) : id;
    const keys = lazyKeys[name];
    if (keys !== undefined) {
      if (!standIns.has(name)) standIns.set(name, standIn(name, keys));
      return standIns.get(name);
    }
    if (id.startsWith('node:') || builtins.includes(name)) return builtinRequire(id);
    if (!deserialized()) throw new Error(`snapshot build: package ${id} required while building`);
    return runtimeRequire(id);
  }
};
