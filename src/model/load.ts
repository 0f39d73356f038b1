/**
 * The loader: file or text → a validated, normalised MailPolicy with source locations, or every
 * problem in the file as FILE:LINE:COL. Steps: read (size, UTF-8) → YAML (positions, duplicate
 * keys, alias limits) → schema (generated validator) + semantic checks → normalised model.
 */
import { parentPointer } from './json-pointer';
import { LineIndex } from './line-index';
import { LOAD_LIMITS } from './limits';
import { normalisePolicy } from './normalise';
import { compareProblems, formatProblem, type Problem } from './problem';
import { schemaIssues } from './schema-problems';
import { schemaErrors } from './schema-validator';
import { semanticIssues, type LineOf, type NodeIssue } from './semantic-checks';
import { readSourceFile, tooLargeProblem } from './source-file';
import type { JsonPointer, LoadedPolicy, SourceLocation } from './types';
import { parseYamlDocument } from './yaml-document';

export { formatProblem, type Problem };

export type LoadResult =
  | { readonly ok: true; readonly loaded: LoadedPolicy }
  /** `unreadable`: the file could not be read at all (the CLI exits 2 rather than 1). */
  | { readonly ok: false; readonly problems: readonly Problem[]; readonly unreadable?: boolean };

function failed(problems: Problem[], unreadable = false): LoadResult {
  const unique = [...new Map(problems.map((p) => [formatProblem(p), p])).values()].sort(compareProblems);
  return unreadable ? { ok: false, problems: unique, unreadable } : { ok: false, problems: unique };
}

/**
 * Every problem of a parsed document, schema and semantic checks together, at most one message
 * per node: a semantic check says more than the schema about the same node (e.g. why a
 * connection setting is malformed), so the schema's message for that node is left out.
 * `lineOf` gives the line of a node for messages that point back at an earlier occurrence
 * (without it, such messages name only the earlier node's path).
 */
export function documentIssues(data: unknown, lineOf?: LineOf): readonly NodeIssue[] {
  const semantic = semanticIssues(data, lineOf);
  const explained = new Set(semantic.map((issue) => issue.pointer));
  const structural = schemaIssues(schemaErrors(data), data).filter((issue) => !explained.has(issue.pointer));
  return [...semantic, ...structural];
}

/** Loads a document from text; `fileName` is what problems and locations name. Never throws. */
export function loadPolicyText(text: string, fileName: string): LoadResult {
  if (text.length > LOAD_LIMITS.maxFileBytes || Buffer.byteLength(text, 'utf8') > LOAD_LIMITS.maxFileBytes) return failed([tooLargeProblem(fileName)]);
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineIndex(source);
  const parsed = parseYamlDocument(source, fileName, lines);
  const at = (offset: number): SourceLocation => ({ file: fileName, ...lines.position(offset) });
  const locate = (pointer: JsonPointer): SourceLocation => {
    for (let p = pointer; ; p = parentPointer(p)) {
      const offset = parsed.positions.get(p);
      if (offset !== undefined) return at(offset);
      if (p === '') return at(0);
    }
  };
  const problems: Problem[] = parsed.issues.map((issue) => ({ ...at(issue.offset), message: issue.message }));
  if (parsed.value === undefined) return failed(problems);

  const nodeProblem = (issue: NodeIssue): Problem => ({ ...locate(issue.pointer), message: issue.message });
  problems.push(...documentIssues(parsed.value, (pointer) => locate(pointer).line).map(nodeProblem));
  if (problems.length > 0) return failed(problems);

  const policy = normalisePolicy(parsed.value as Readonly<Record<string, unknown>>);
  const loaded: LoadedPolicy = Object.freeze({ file: fileName, policy, locate });
  return { ok: true, loaded };
}

/** Loads a document from a file (at most LOAD_LIMITS.maxFileBytes, UTF-8). Never throws. */
export function loadPolicyFile(path: string): LoadResult {
  const read = readSourceFile(path);
  if (!read.ok) return failed([read.problem], read.unreadable);
  return loadPolicyText(read.text, path);
}

/**
 * The loaded document, or an error listing every problem as FILE:LINE:COL: for tests, benchmarks
 * and scripts whose documents must load (the CLI and the program report problems instead).
 */
export function loadedOrThrow(result: LoadResult): LoadedPolicy {
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.loaded;
}

/** loadPolicyFile, then loadedOrThrow. */
export function loadPolicyFileOrThrow(file: string): LoadedPolicy {
  return loadedOrThrow(loadPolicyFile(file));
}
