/**
 * Dependencies run one way (issue 13): the layers of src/ below, each folder importing only
 * folders of lower layers; src/ never imports the Pulumi parts (providers/, program/,
 * policies/), the benchmarks, the tests or the tools (the stand-in pwsh); no cycle between
 * folders nor between files; and the stand-in is not in the published package. Imports are
 * read with TypeScript's own pre-processor (static imports, re-exports, require() and import()).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

/**
 * The layers of src/, lowest first. A folder (or a file directly in src/) may import its own
 * layer's own folder and folders of lower layers, never a higher layer nor another folder of
 * its own layer.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['package-root.ts', 'text', 'files'],
  ['model'],
  ['rules', 'init'],
  ['report'],
  ['exchange'],
  ['simulator'],
  ['reconcile'],
  ['drift', 'export', 'endpoints'],
  ['backends'],
  ['cli'],
  ['index.ts'],
];

/** Folders outside src/ that src/ must never import. */
const FORBIDDEN = ['providers', 'program', 'policies', 'bench', 'test', 'tools'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The top folder of src/ a path is in (or the file itself, for a file directly in src/). */
function unitOf(file: string): string {
  return relative(SRC, file).split(sep)[0] as string;
}

interface Import {
  readonly from: string;
  /** Resolved path, without extension. */
  readonly to: string;
}

function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.filter((f) => f.fileName.startsWith('.')).map((f) => ({ from: file, to: resolve(dirname(file), f.fileName) }));
}

/** The cycles of a directed graph, each as `a → b → a` (depth-first: at least one per cycle). */
function cyclesOf(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
      return;
    }
    state.set(node, 'open');
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of edges.keys()) visit(node, []);
  return cycles;
}

/** The source file an import names, relative to the root and without extension (`./rules` is `src/rules/index`). */
function fileOf(path: string): string {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'index') : path.replace(/\.(js|ts)$/, '');
  return relative(ROOT, file);
}

const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);
const show = (i: Import) => `${relative(ROOT, i.from)} → ${relative(ROOT, i.to)}`;

describe('dependencies between folders', () => {
  it('reads the imports of every source file', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(imports.length).toBeGreaterThan(300);
  });

  it('src/ never imports providers/, program/, policies/, bench/, test/ or tools/', () => {
    const out = imports.filter((i) => {
      const top = relative(ROOT, i.to).split(sep)[0] as string;
      return FORBIDDEN.includes(top) || relative(SRC, i.to).startsWith('..');
    });
    expect(out.map(show)).toEqual([]);
  });

  it('every folder of src/ is in a layer', () => {
    const units = [...new Set(files.map(unitOf))];
    expect(units.filter((u) => !LAYERS.some((layer) => layer.includes(u)))).toEqual([]);
  });

  it('each folder imports only folders of lower layers', () => {
    const layerOf = (unit: string) => LAYERS.findIndex((layer) => layer.includes(unit));
    const upward = imports.filter((i) => {
      const from = unitOf(i.from);
      const to = unitOf(i.to);
      return from !== to && layerOf(to) >= layerOf(from);
    });
    expect(upward.map(show)).toEqual([]);
  });

  it('no cycle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) {
      const from = unitOf(i.from);
      const to = unitOf(i.to);
      if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
    expect(cyclesOf(edges)).toEqual([]);
  });

  it('no cycle between files', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) {
      const from = fileOf(i.from);
      const to = fileOf(i.to);
      edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
    expect(cyclesOf(edges)).toEqual([]);
  });
});

describe('the published package', () => {
  it('does not contain the stand-in pwsh (a test double)', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    const paths = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
    expect(paths).toContain('dist/index.js');
    expect(paths.filter((p) => /stand-in\/|stand-in\.js|stand-in-pwsh$|^tools\//.test(p))).toEqual([]);
  });
});
