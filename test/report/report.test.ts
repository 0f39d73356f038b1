import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactUri, renderSarif, sarifLog } from '../../src/report/sarif';
import { escapeControls, jsonText } from '../../src/text/escape';
import { markdownCell, markdownCode, markdownTable, textTable } from '../../src/report/table';
import { sarifSchemaErrors } from '../cli/sarif-schema';

describe('tables', () => {
  it('aligns text columns and trims trailing blanks', () => {
    expect(textTable({ headers: ['A', 'Long header'], rows: [['xyz', ''], ['1', '2']] })).toBe('A    Long header\nxyz\n1    2\n');
  });

  it('escapes markdown cells so a value cannot break the table or add markup', () => {
    expect(markdownCell('a|b')).toBe('a\\|b');
    expect(markdownCell('`x` *y* <b>')).toBe('\\`x\\` \\*y\\* \\<b\\>');
    expect(markdownCell('one\ntwo')).toBe('one<br>two');
    expect(markdownTable({ headers: ['K', 'V'], rows: [['a|b', 'c']] })).toBe('| K | V |\n|---|---|\n| a\\|b | c |\n');
  });

  it('a link cell is a markdown link with its text escaped, and its text in a text table', () => {
    const table = { headers: ['Rule', 'Note'], rows: [[{ text: 'MP_1|x', url: 'https://example.com/docs/a (b).md' }, 'n']] };
    expect(markdownTable(table)).toBe('| Rule | Note |\n|---|---|\n| [MP\\_1\\|x](https://example.com/docs/a%20%28b%29.md) | n |\n');
    expect(textTable(table)).toBe('Rule    Note\nMP_1|x  n\n');
  });
});

describe('escaping for human outputs', () => {
  it('shows every control, bidi and separator character as an escape, and nothing else changes', () => {
    expect(escapeControls('a\nb\r\t\u001b[0m\u007f\u0085\u061c\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069 é→…✅')).toBe(
      'a\\nb\\r\\t\\u001b[0m\\u007f\\u0085\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069 é→…✅',
    );
    // Idempotent: writers may escape a line whose parts were escaped already.
    expect(escapeControls(escapeControls('x\n\u202e'))).toBe(escapeControls('x\n\u202e'));
  });

  it('JSON keeps the same value with the characters JSON.stringify leaves raw escaped', () => {
    const value = { s: 'a\u202e\u2028\u0085\u007f\n' };
    const text = jsonText(value);
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('a code span shows the code as it is, fenced past its backticks, pipes escaped in tables', () => {
    expect(markdownCode("Set-X -A 'a|b'")).toBe("`Set-X -A 'a\\|b'`");
    expect(markdownCode("Set-X -A 'a|b'", false)).toBe("`Set-X -A 'a|b'`");
    expect(markdownCode('Set-X -A "x```$y"')).toBe('````Set-X -A "x```$y"````');
    expect(markdownCode('`x')).toBe('`` `x ``');
    expect(textTable({ headers: ['C'], rows: [[{ code: 'a\nb' }]] })).toBe('C\na\\nb\n');
  });
});

describe('SARIF', () => {
  const tool = { name: 'mailpolicy', version: '1.2.3', rules: [{ id: 'R1', name: 'Rule', shortDescription: 'A rule', defaultLevel: 'warning' as const }] };

  it('writes a SARIF 2.1.0 log with rules, levels and regions', () => {
    const log = sarifLog(tool, [{ ruleId: 'R1', level: 'error', message: 'bad', location: { file: 'stacks/a.yaml', line: 3, column: 5 }, fingerprint: 'f1' }], { baseDir: process.cwd() });
    const run = (log.runs as Record<string, unknown>[])[0] as { tool: { driver: { rules: unknown[] } }; results: Record<string, unknown>[] };
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver.rules).toEqual([{ id: 'R1', name: 'Rule', shortDescription: { text: 'A rule' }, defaultConfiguration: { level: 'warning' } }]);
    expect(run.results[0]).toEqual({
      ruleId: 'R1',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'bad' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'stacks/a.yaml' }, region: { startLine: 3, startColumn: 5 } } }],
      partialFingerprints: { 'mailpolicy/v1': 'f1' },
    });
    expect(JSON.parse(renderSarif(tool, []))).toMatchObject({ version: '2.1.0', runs: [{ results: [] }] });
  });

  it('writes suppressions, one invocation with its notifications and run properties, as valid SARIF', () => {
    const log = sarifLog(
      tool,
      [{ ruleId: 'R1', level: 'note', message: 'accepted', location: { file: '/base/a.yaml', line: 2, column: 1 }, suppression: { kind: 'inSource', justification: 'until June' } }],
      {
        baseDir: '/base',
        invocation: { executionSuccessful: false, notifications: [{ level: 'error', message: 'unreadable', location: { file: '/base/b.yaml', line: 0, column: 0 } }, { level: 'warning', message: 'no location' }], properties: { asOf: '2027-01-15' } },
        properties: { summary: { files: 2 } },
      },
    );
    expect(sarifSchemaErrors(log)).toEqual([]);
    const [run] = log.runs as Record<string, unknown>[];
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect((run.results as Record<string, unknown>[])[0].suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'until June' }]);
    expect(run.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'unreadable' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'b.yaml' }, region: { startLine: 1, startColumn: 1 } } }] },
          { level: 'warning', message: { text: 'no location' } },
        ],
        properties: { asOf: '2027-01-15' },
      },
    ]);
    expect(run.properties).toEqual({ summary: { files: 2 } });
    // Without them, none of the three appear.
    const [bare] = sarifLog(tool, [{ ruleId: 'R1', level: 'error', message: 'bad', location: { file: 'a.yaml', line: 1, column: 1 } }]).runs as Record<string, unknown>[];
    expect(Object.keys(bare)).toEqual(['tool', 'columnKind', 'results']);
    expect(Object.keys((bare.results as object[])[0])).not.toContain('suppressions');
  });

  it('uses relative URIs below the base directory and file URIs elsewhere', () => {
    expect(artifactUri(path.join('/base', 'x', 'y.yaml'), '/base')).toBe('x/y.yaml');
    expect(artifactUri('/elsewhere/y.yaml', '/base')).toBe('file:///elsewhere/y.yaml');
  });
});
