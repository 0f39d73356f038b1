/**
 * The PowerShell host script parses cleanly (tree-sitter-powershell's wasm grammar, loaded with
 * web-tree-sitter) and stays constant: nothing in it can turn data into code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOST_ERROR, RECEIVED_EVERY_MS } from '../../src/exchange/host-protocol';
import { parseProblems, parseRoot, powershellParser, type Node } from '../support/powershell-grammar';

const SCRIPT = join(__dirname, '..', '..', 'powershell', 'mailpolicy-host.ps1');

let parser: Parser;

beforeAll(async () => {
  parser = await powershellParser();
});

const problems = (source: string): string[] => parseProblems(parser, source);

function commandNames(source: string): string[] {
  const names: string[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'command_name') names.push(node.text);
    for (const child of node.children) if (child) walk(child);
  };
  walk(parseRoot(parser, source));
  return names;
}

describe('powershell/mailpolicy-host.ps1', () => {
  const source = readFileSync(SCRIPT, 'utf8');

  it('parses without a single ERROR or MISSING node', () => {
    expect(problems(source)).toEqual([]);
  });

  it('the check can fail: a broken script is reported', () => {
    expect(problems('function f {\n  $x = (1 + \n}\n').length).toBeGreaterThan(0);
    expect(problems(source.replace('while ($true) {', 'while ($true {')).length).toBeGreaterThan(0);
  });

  it('has no way to run text as code', () => {
    const names = commandNames(source).map((n) => n.toLowerCase());
    expect(names.length).toBeGreaterThan(20);
    for (const forbidden of ['invoke-expression', 'iex', 'add-type', 'new-module', 'import-module ./', 'start-process']) expect(names).not.toContain(forbidden);
    expect(source).not.toMatch(/\[scriptblock\]::Create|InvokeScript|ExecutionContext\.InvokeCommand|NewScriptBlock|Invoke-Expression/i);
    // Cmdlets are found by their exact allowlisted name and run with parameters splatted.
    expect(source).toMatch(/& \$command @splat -ErrorAction Stop/);
    expect(source).toMatch(/ConvertTo-Json -InputObject \$Response -Depth 10 -Compress -EnumsAsStrings/);
  });

  it('raises exactly the error ids the runner knows (HOST_ERROR), so renaming either side fails here', () => {
    const raised = [...source.matchAll(/-ErrorId '([^']+)'/g)].map((m) => m[1] as string);
    expect(raised.length).toBeGreaterThan(0);
    expect([...new Set(raised)].sort()).toEqual(Object.values(HOST_ERROR).sort());
    // Every id the script mentions at all, not only where it raises one.
    expect([...new Set(source.match(/MailpolicyHost\.[A-Za-z]+/g))].sort()).toEqual(Object.values(HOST_ERROR).sort());
  });

  it('counts a read\'s objects as often as the protocol says (RECEIVED_EVERY_MS), in a line of the id and the count only', () => {
    expect(/^\$script:ReceivedEveryMs = ([0-9]+)$/m.exec(source)?.[1]).toBe(String(RECEIVED_EVERY_MS));
    expect(source).toContain('Write-Response -Response ([ordered]@{ id = $ReceivedId; received = $collected.Count })');
  });
});
