/**
 * Tables for human reports: aligned plain text for terminals and CI logs, GitHub-flavoured
 * markdown for job summaries and tickets. Cells are plain strings; markdown escaping happens
 * here so no report builds markdown by hand.
 */

export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function textTable(table: Table): string {
  const all = [table.headers, ...table.rows];
  const widths = table.headers.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) => widths.map((width, column) => (row[column] ?? '').padEnd(width)).join('  ').trimEnd()).join('\n') + '\n';
}

/** Characters that would end a cell, start markup or break the row. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([`*_<>[\]])/g, '\\$1').replace(/\r?\n/g, '<br>');
}

export function markdownTable(table: Table): string {
  const line = (cells: readonly string[]) => `| ${table.headers.map((_, i) => markdownCell(cells[i] ?? '')).join(' | ')} |`;
  return [line(table.headers), `|${table.headers.map(() => '---').join('|')}|`, ...table.rows.map(line)].join('\n') + '\n';
}
