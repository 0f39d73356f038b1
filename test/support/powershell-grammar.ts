/** PowerShell's grammar (tree-sitter-powershell, as .wasm through web-tree-sitter), for tests that parse PowerShell text. */
import { dirname, join } from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';

export type { Node };

export async function powershellParser(): Promise<Parser> {
  const runtime = require.resolve('web-tree-sitter');
  await Parser.init({ locateFile: (name: string) => join(dirname(runtime), name) });
  const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The tree's root; fails when tree-sitter returns none. */
export function parseRoot(parser: Parser, source: string): Node {
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree.rootNode;
}

/** `LINE:COL error|missing TYPE: text` for every ERROR or MISSING node: empty when the text parses cleanly. */
export function parseProblems(parser: Parser, source: string): string[] {
  const found: string[] = [];
  const walk = (node: Node): void => {
    if (node.isError || node.isMissing) found.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.isMissing ? 'missing' : 'error'} ${node.type}: ${node.text.slice(0, 80)}`);
    for (const child of node.children) if (child) walk(child);
  };
  walk(parseRoot(parser, source));
  return found;
}
