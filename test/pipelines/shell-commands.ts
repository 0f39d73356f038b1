/**
 * Just enough of the POSIX shell grammar to find the simple commands in a pipeline step's
 * script: quotes, backslash-newline continuations, comments, control operators and
 * redirections. `$( … )` and `${ … }` stay inside the word they belong to (their contents are
 * not searched). Built for the pipeline templates, not a general shell parser.
 */

export interface SimpleCommand {
  /** The words with quotes removed, redirections dropped, leading keywords and assignments skipped. */
  readonly words: readonly string[];
  /** Redirection targets, e.g. `>> "$GITHUB_STEP_SUMMARY"` → `$GITHUB_STEP_SUMMARY`. */
  readonly redirects: readonly string[];
  /** 1-based line of the script on which the command starts. */
  readonly line: number;
}

const CONTROL = ['&&', '||', ';;', ';', '|', '&', '\n', '(', ')'];
const REDIRECT = /^(?:\d*)(?:>>|>&|<&|>|<)$/;
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', 'time', '{', '}']);
const BLOCK_WORDS = new Set(['for', 'case', 'done', 'fi', 'esac', 'function']);

type Token = { kind: 'word'; text: string; line: number } | { kind: 'op'; text: string; line: number };

/** Reads a `$(…)`, `${…}` or `` `…` `` group starting at `i`; returns its end index (exclusive). */
function skipGroup(text: string, i: number): number {
  if (text[i] === '`') {
    let j = i + 1;
    while (j < text.length && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, text.length);
  }
  const open = text[i + 1] as string;
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
    } else if (c === "'") {
      const end = text.indexOf("'", j + 1);
      j = end === -1 ? text.length : end;
    } else if (c === open) {
      depth++;
    } else if (c === close) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return text.length;
}

export function tokenize(script: string): Token[] {
  const text = script.replace(/\r\n/g, '\n');
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      line++;
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const op = CONTROL.find((o) => text.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, line });
      if (op === '\n') line++;
      i += op.length;
      continue;
    }
    const redirect = /^\d*(?:>>|>&|<&|>|<)/.exec(text.slice(i));
    if (redirect) {
      tokens.push({ kind: 'op', text: redirect[0], line });
      i += redirect[0].length;
      continue;
    }
    let word = '';
    const startLine = line;
    while (i < text.length) {
      const d = text[i] as string;
      if (d === ' ' || d === '\t' || d === '\n' || CONTROL.some((o) => o !== '\n' && text.startsWith(o, i)) || /^[<>]/.test(d)) break;
      if (d === "'") {
        const end = text.indexOf("'", i + 1);
        const stop = end === -1 ? text.length : end;
        word += text.slice(i + 1, stop);
        i = stop + 1;
      } else if (d === '"') {
        let j = i + 1;
        while (j < text.length && text[j] !== '"') {
          if (text[j] === '\\' && text[j + 1] === '\n') {
            line++;
            j += 2;
          } else if (text[j] === '\\' && j + 1 < text.length) {
            word += text[j + 1];
            j += 2;
          } else if (text[j] === '$' && (text[j + 1] === '(' || text[j + 1] === '{')) {
            const end = skipGroup(text, j);
            word += text.slice(j, end);
            j = end;
          } else {
            if (text[j] === '\n') line++;
            word += text[j];
            j++;
          }
        }
        i = j + 1;
      } else if (d === '\\' && text[i + 1] === '\n') {
        line++;
        i += 2;
      } else if (d === '\\') {
        word += text[i + 1] ?? '';
        i += 2;
      } else if ((d === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) || d === '`') {
        const end = skipGroup(text, i);
        word += text.slice(i, end);
        i = end;
      } else {
        word += d;
        i++;
      }
    }
    tokens.push({ kind: 'word', text: word, line: startLine });
  }
  return tokens;
}

/** The simple commands of a script, in order. */
export function simpleCommands(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let redirects: string[] = [];
  let line = 0;
  let pendingRedirect = false;
  const flush = (): void => {
    while (words.length > 0 && (KEYWORDS.has(words[0] as string) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] as string))) words.shift();
    if (words.length > 0 && !BLOCK_WORDS.has(words[0] as string)) commands.push({ words, redirects, line });
    words = [];
    redirects = [];
  };
  for (const token of tokenize(script)) {
    if (token.kind === 'op') {
      if (REDIRECT.test(token.text)) {
        pendingRedirect = true;
        continue;
      }
      flush();
      continue;
    }
    if (pendingRedirect) {
      redirects.push(token.text);
      pendingRedirect = false;
      continue;
    }
    if (words.length === 0) line = token.line;
    words.push(token.text);
  }
  flush();
  return commands;
}
