/**
 * The benchmark's baseline: the same program, built the way the stock cdktf TypeScript template
 * runs it: ts-node with type checking, and provider classes imported from the package root.
 *
 * It copies apps/ and packages/ sources into a scratch folder, rewrites
 * `import { X } from '@cdktf/provider-aws/lib/x-y'` into a root import
 * (`import { xY as __aws_xY } from <the package root>; import X = __aws_xY.X;`, which keeps
 * both the value and the type) and points `@data-platform/*` imports at the copies.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The provider package; its root index loads every AWS resource (what the baseline measures). */
export const PROVIDER_PACKAGE = '@cdktf/provider-aws';
const DEEP_IMPORT = /import\s+(type\s+)?\{([^}]+)\}\s+from\s+'@cdktf\/provider-aws\/lib\/([a-z0-9-]+)';/g;
const PACKAGE_IMPORT = /from\s+'@data-platform\/([a-z-]+)'/g;

/** `s3-bucket-versioning` -> `s3BucketVersioning`, the name of the root index's namespace export. */
export function namespaceOf(module: string): string {
  return module.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Rewrites one source file's deep provider imports into root-index imports. */
export function rewriteToRootImports(source: string): string {
  return source.replace(DEEP_IMPORT, (_all, _type: string | undefined, names: string, module: string) => {
    const ns = `__aws_${namespaceOf(module)}`;
    const aliases = names
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .map((n) => {
        const [name, alias] = n.split(/\s+as\s+/);
        return `import ${alias ?? name} = ${ns}.${name};`;
      });
    return [`import { ${namespaceOf(module)} as ${ns} } from '${PROVIDER_PACKAGE}';`, ...aliases].join('\n');
  });
}

/**
 * Writes the baseline program under `dir` and returns its entry point and tsconfig.
 * @param repoRoot the repository to copy from
 */
export function writeBaseline(repoRoot: string, dir: string): { entry: string; tsconfig: string } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const roots = ['apps/data-platform/src', ...readdirSync(join(repoRoot, 'packages')).map((p) => `packages/${p}/src`)];
  for (const root of roots) cpSync(join(repoRoot, root), join(dir, root), { recursive: true, filter: (src) => !/\.test\.ts$|__fixtures__/.test(src) });
  // Files the program reads at synth time beside its sources: every other folder of a package
  // (job scripts, SQL queries, dashboard definitions).
  for (const pkg of readdirSync(join(repoRoot, 'packages'))) {
    const root = join(repoRoot, 'packages', pkg);
    for (const entry of readdirSync(root)) {
      if (entry === 'src' || entry === 'node_modules' || !statSync(join(root, entry)).isDirectory()) continue;
      cpSync(join(root, entry), join(dir, 'packages', pkg, entry), { recursive: true });
    }
  }
  for (const file of walk(dir)) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(file, 'utf8')
      .replace(PACKAGE_IMPORT, (_all, pkg: string) => {
        const target = relative(dirname(file), join(dir, 'packages', pkg, 'src', 'index'));
        return `from '${target.startsWith('.') ? target : `./${target}`}'`;
      });
    writeFileSync(file, rewriteToRootImports(text));
  }
  // The stock template's tsconfig: strict, type-checked by ts-node on every run (skipLibCheck on).
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: relative(dir, join(repoRoot, 'tsconfig.base.json')),
        compilerOptions: { typeRoots: [join(repoRoot, 'node_modules', '@types')] },
        include: ['**/*.ts'],
        'ts-node': { swc: false, transpileOnly: false },
      },
      null,
      2,
    ),
  );
  return { entry: join(dir, 'apps/data-platform/src/main.ts'), tsconfig };
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
