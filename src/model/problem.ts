import { escapeControls } from '../text/escape';
import type { SourceLocation } from './types';

/** One thing wrong with an input file, at a 1-based line and column. */
export interface Problem {
  readonly file: string;
  /** 1-based; 0 when the problem concerns the whole file (it could not be read). */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * The one place the `FILE:LINE:COL` form is written; line 0 (the whole file) shows the file
 * alone. For people: a file name's control characters are escaped (src/text/escape.ts).
 */
export function formatLocation(at: SourceLocation): string {
  const file = escapeControls(at.file);
  return at.line <= 0 ? file : `${file}:${at.line}:${at.column}`;
}

/** `FILE:LINE:COL: message`, one line: a message quoting the document has its control characters escaped. */
export function formatProblem(problem: Problem): string {
  return `${formatLocation(problem)}: ${escapeControls(problem.message)}`;
}

/** Orders problems as a reader meets them in the file. */
export function compareProblems(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
