/**
 * What `npm pack` puts in the tarball is what a project that installs mailpolicy runs: the
 * program entry and the provider plugin Pulumi.yaml names, the policy pack and its compiled
 * entry, the schema editors read, the pipeline templates `init` adapts. And no Pulumi.yaml: the
 * program and plugins find their project as the nearest directory above holding one, which
 * must be the user's, not the package's.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packagePath, packageRoot } from '../src/package-root';

describe('the npm package', () => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { name: string; files: { path: string }[] }[];
  const files = new Set(packed[0]!.files.map((f) => f.path));

  it('ships what an installed project runs', () => {
    for (const file of [
      'bin/mailpolicy.js',
      'dist/cli/mailpolicy.js',
      'pulumi-program.js',
      'dist/program/index.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/program/organisation.d.ts',
      'providers/plugin/pulumi-resource-pulumi-nodejs',
      'policies/PulumiPolicy.yaml',
      'policies/package.json',
      'dist/policies/index.js',
      'schema/mailpolicy.schema.json',
      'powershell/mailpolicy-host.ps1',
      'docs/pipelines/github/workflows/mailpolicy-deploy.yml',
      'docs/pipelines/azure-devops/templates/mailpolicy-setup.yml',
    ]) {
      expect(files.has(file), file).toBe(true);
    }
  });

  it("has no Pulumi.yaml, and the pack's entry is inside the package", () => {
    expect([...files].filter((f) => /(^|\/)Pulumi\.ya?ml$/.test(f))).toEqual([]);
    const pack = JSON.parse(readFileSync(packagePath('policies', 'package.json'), 'utf8')) as { main: string };
    expect(files.has(`policies/${pack.main}`.replace(/^policies\/\.\.\//, ''))).toBe(true);
  });

  it("ships the files package.json's main and types name", () => {
    const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { main: string; types: string };
    expect(files.has(manifest.main), manifest.main).toBe(true);
    expect(files.has(manifest.types), manifest.types).toBe(true);
  });

  it('is named as the CLI reports itself', () => {
    expect(packed[0]!.name).toBe('mailpolicy');
  });
});
