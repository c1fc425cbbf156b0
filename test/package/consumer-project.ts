/**
 * The temporary consumer project of pack-install.test.ts: a package.json that depends on the packed
 * tarball, a package-lock.json pinning every dependency to the version the repository's own lock
 * has, the README's library example, and a module importing every subpath of `exports`.
 *
 * Why a lockfile: `npm ci` in the repository caches every tarball of its lock, but no registry
 * metadata, so resolving version ranges anew (`npm install <tarball>`) would need the registry and
 * could pick newer versions than CI tested. A lock made of the repository lock's non-dev entries lets
 * `npm ci --prefer-offline` install from the cache alone, with the versions CI runs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

interface LockEntry {
  version?: string;
  dev?: boolean;
  [key: string]: unknown;
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
  engines?: Record<string, string>;
  bin?: Record<string, string>;
}

/**
 * The package's `exports` subpaths as import specifiers (`ocpp-station`, `ocpp-station/testing`, ...).
 *
 * @example
 * subpathSpecifiers({ name: 'ocpp-station', exports: { '.': './a.js', './testing': './b.js' } }); // ['ocpp-station', 'ocpp-station/testing']
 */
export function subpathSpecifiers(pkg: Pick<PackageJson, 'name' | 'exports'>): string[] {
  return Object.keys(pkg.exports ?? { '.': '' }).map((key) =>
    key === '.' ? pkg.name : `${pkg.name}/${key.replace(/^\.\//, '')}`,
  );
}

/**
 * The first ```ts block of README.md's "Use as a library" section: the example the README promises.
 *
 * @example
 * const example = libraryExample(await readFile('README.md', 'utf8'));
 */
export function libraryExample(readme: string): string {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Use as a library\n'));
  const block = section?.match(/^```ts\n([\s\S]*?)^```$/m)?.[1];
  if (block === undefined) throw new Error("README.md has no ```ts block under '## Use as a library'");
  return block;
}

/**
 * Writes the consumer project into `dir`: package.json, package-lock.json, example.ts (from the
 * README) and subpaths.ts. `tarball` is the packed file's path.
 *
 * @example
 * await writeConsumerProject({ dir, repoRoot, tarball: path.join(stage, 'ocpp-station-0.1.0.tgz') });
 */
export async function writeConsumerProject(options: {
  dir: string;
  repoRoot: string;
  tarball: string;
}): Promise<{ specifiers: string[] }> {
  const { dir, repoRoot, tarball } = options;
  const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
  const repoLock = JSON.parse(await readFile(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const typesNode = repoLock.packages['node_modules/@types/node']?.version;
  if (typesNode === undefined) throw new Error('package-lock.json has no @types/node');
  const tarballSpec = `file:${path.relative(dir, tarball)}`;
  // What a consumer project declares: the package, and @types/node as every Node project with types does.
  const dependencies = { [pkg.name]: tarballSpec, '@types/node': typesNode };
  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', dependencies },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: tarballSpec,
      ...(pkg.license === undefined ? {} : { license: pkg.license }),
      ...(pkg.dependencies === undefined ? {} : { dependencies: pkg.dependencies }),
      ...(pkg.bin === undefined ? {} : { bin: pkg.bin }),
      ...(pkg.engines === undefined ? {} : { engines: pkg.engines }),
    },
  };
  // Everything the package needs at run time (and for its declarations) is a non-dev entry.
  for (const [location, entry] of Object.entries(repoLock.packages)) {
    if (location === '' || entry.dev === true) continue;
    packages[location] = entry;
  }
  const specifiers = subpathSpecifiers(pkg);
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  await Promise.all([
    writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2),
    ),
    writeFile(
      path.join(dir, 'package-lock.json'),
      JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2),
    ),
    writeFile(path.join(dir, 'example.ts'), libraryExample(readme)),
    writeFile(
      path.join(dir, 'subpaths.ts'),
      specifiers.map((s, i) => `import * as subpath${i} from '${s}';\n`).join('') +
        `export const subpathExports: Array<[string, object]> = [\n` +
        specifiers.map((s, i) => `  ['${s}', subpath${i}],\n`).join('') +
        `];\n`,
    ),
  ]);
  return { specifiers };
}
