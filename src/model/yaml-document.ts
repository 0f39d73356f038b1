/**
 * YAML text → plain data plus a position index (JSON pointer → offset of the node's key or
 * item). js-yaml 5 parses into an event stream whose events carry source offsets; this module
 * walks that stream once to index positions and to refuse what the constructor would accept
 * silently or fatally (duplicate keys, alias bombs, recursive aliases, several documents),
 * then lets js-yaml construct the value from the same events.
 */
import { constructFromEvents, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, YAMLException } from 'js-yaml';
import type { AliasEvent, Event, MappingEvent, ScalarEvent, SequenceEvent } from 'js-yaml';
import { childPointer } from './json-pointer';
import { LOAD_LIMITS } from './limits';
import { LineIndex } from './line-index';
import type { JsonPointer } from './types';

/** A problem found while reading the YAML, at an offset into the text. */
export interface YamlIssue {
  readonly offset: number;
  readonly message: string;
}

export interface ParsedYaml {
  /** The document's data; undefined when a fatal issue stopped construction. */
  readonly value: unknown;
  /** Offset of each node: a mapping entry's key, a sequence item, the root node. */
  readonly positions: ReadonlyMap<JsonPointer, number>;
  readonly issues: readonly YamlIssue[];
}

type NodeEvent = ScalarEvent | MappingEvent | SequenceEvent | AliasEvent;

interface Frame {
  readonly kind: 'mapping' | 'sequence';
  readonly pointer: JsonPointer;
  readonly anchor: string | undefined;
  /** Nodes in this collection with aliases expanded, itself included. */
  nodes: number;
  index: number;
  awaitingKey: boolean;
  key: string;
  keyOffset: number;
  readonly keys: Map<string, number>;
}

class FatalYamlIssue extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Where a node starts: its anchor (`&a`), tag or value, whichever comes first; -1 for none. */
function nodeOffset(event: NodeEvent): number {
  let offset = event.anchorStart >= 0 ? event.anchorStart - 1 : -1; // the `&` or `*`
  const earliest = (candidate: number): void => {
    if (candidate >= 0 && (offset < 0 || candidate < offset)) offset = candidate;
  };
  if (event.type === EVENT_ID.SCALAR) {
    earliest(event.tagStart);
    const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
    if (event.valueStart >= 0) earliest(event.valueStart - (quoted ? 1 : 0));
  } else if (event.type !== EVENT_ID.ALIAS) {
    earliest(event.tagStart);
    earliest(event.start);
  }
  return offset;
}

function anchorName(text: string, event: NodeEvent): string | undefined {
  return event.anchorStart >= 0 ? text.slice(event.anchorStart, event.anchorEnd) : undefined;
}

/** Walks the event stream of the first document; throws FatalYamlIssue for input it refuses. */
class PositionIndexer {
  readonly positions = new Map<JsonPointer, number>();
  readonly issues: YamlIssue[] = [];
  private readonly stack: Frame[] = [];
  /** Expanded node count of every completed anchored node. */
  private readonly anchorNodes = new Map<string, number>();
  /** Text of anchored scalars, for aliases used as mapping keys. */
  private readonly anchorScalars = new Map<string, string>();
  private readonly openAnchors = new Set<string>();
  private aliases = 0;
  private expanded = 0;
  lastOffset = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  node(event: NodeEvent): void {
    const offset = nodeOffset(event);
    if (offset >= 0) this.lastOffset = Math.max(this.lastOffset, offset);
    if (event.type === EVENT_ID.SCALAR && event.valueEnd > this.lastOffset) this.lastOffset = event.valueEnd;
    const parent = this.stack[this.stack.length - 1];
    if (parent?.kind === 'mapping' && parent.awaitingKey) {
      this.key(parent, event, offset);
      return;
    }
    let pointer: JsonPointer = '';
    let at = offset;
    if (parent?.kind === 'mapping') {
      pointer = childPointer(parent.pointer, parent.key);
      at = parent.keyOffset;
      parent.awaitingKey = true;
    } else if (parent) {
      pointer = childPointer(parent.pointer, parent.index++);
    }
    if (at >= 0) this.positions.set(pointer, at);
    const anchor = anchorName(this.text, event);
    switch (event.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        this.count(1, offset, false);
        if (anchor !== undefined) this.openAnchors.add(anchor);
        this.stack.push({
          kind: event.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence',
          pointer,
          anchor,
          nodes: 1,
          index: 0,
          awaitingKey: true,
          key: '',
          keyOffset: -1,
          keys: new Map(),
        });
        break;
      case EVENT_ID.SCALAR:
        this.count(1, offset, true);
        if (anchor !== undefined) {
          this.anchorNodes.set(anchor, 1);
          this.anchorScalars.set(anchor, getScalarValue(this.text, event));
        }
        break;
      case EVENT_ID.ALIAS:
        this.count(this.alias(event, offset), offset, true);
        break;
    }
  }

  pop(): void {
    const frame = this.stack.pop();
    if (!frame) return;
    if (frame.anchor !== undefined) {
      this.openAnchors.delete(frame.anchor);
      this.anchorNodes.set(frame.anchor, frame.nodes);
    }
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.nodes += frame.nodes;
  }

  /** Counts expanded nodes; `intoTop` is false for a collection, which reaches its parent when it closes. */
  private count(nodes: number, offset: number, intoTop: boolean): void {
    const top = this.stack[this.stack.length - 1];
    if (top && intoTop) top.nodes += nodes;
    this.expanded += nodes;
    if (this.expanded > LOAD_LIMITS.maxExpandedNodes) {
      throw new FatalYamlIssue(offset, `the document expands to more than ${LOAD_LIMITS.maxExpandedNodes} nodes through aliases: refusing it (alias/anchor expansion bomb?)`);
    }
  }

  private alias(event: AliasEvent, offset: number): number {
    const name = this.text.slice(event.anchorStart, event.anchorEnd);
    if (++this.aliases > LOAD_LIMITS.maxAliases) {
      throw new FatalYamlIssue(offset, `more than ${LOAD_LIMITS.maxAliases} aliases: refusing the document (alias/anchor expansion bomb?)`);
    }
    const nodes = this.anchorNodes.get(name);
    if (nodes !== undefined) return nodes;
    if (this.openAnchors.has(name)) throw new FatalYamlIssue(offset, `alias *${name} refers to a node that contains it: recursive structures are not allowed`);
    throw new FatalYamlIssue(offset, `alias *${name} refers to no anchor &${name} before it`);
  }

  private key(parent: Frame, event: NodeEvent, offset: number): void {
    let key: string;
    if (event.type === EVENT_ID.SCALAR) {
      key = getScalarValue(this.text, event);
      const anchor = anchorName(this.text, event);
      if (anchor !== undefined) {
        this.anchorNodes.set(anchor, 1);
        this.anchorScalars.set(anchor, key);
      }
    } else if (event.type === EVENT_ID.ALIAS) {
      const name = this.text.slice(event.anchorStart, event.anchorEnd);
      const scalar = this.anchorScalars.get(name);
      if (scalar === undefined) {
        this.alias(event, offset);
        throw new FatalYamlIssue(offset, `a mapping key must be a plain value, not the collection *${name}`);
      }
      key = scalar;
    } else {
      throw new FatalYamlIssue(offset, 'a mapping key must be a plain value, not a mapping or a list');
    }
    const first = parent.keys.get(key);
    if (first !== undefined) {
      const { line, column } = this.lines.position(first);
      this.issues.push({ offset, message: `duplicate key "${key}" (first defined at line ${line}, column ${column})` });
    }
    else parent.keys.set(key, offset);
    parent.key = key;
    parent.keyOffset = offset;
    parent.awaitingKey = false;
  }
}

function syntaxIssue(err: unknown): YamlIssue {
  if (err instanceof FatalYamlIssue) return { offset: Math.max(0, err.offset), message: err.message };
  if (err instanceof YAMLException) return { offset: err.mark?.position ?? 0, message: `YAML syntax error: ${err.reason}` };
  return { offset: 0, message: `cannot read the YAML: ${err instanceof Error ? err.message : String(err)}` };
}

/** Parses one YAML document; never throws. */
export function parseYamlDocument(text: string, fileName: string, lines: LineIndex = new LineIndex(text)): ParsedYaml {
  let events: Event[];
  try {
    events = parseEvents(text, { filename: fileName, maxDepth: LOAD_LIMITS.maxDepth });
  } catch (err) {
    return { value: undefined, positions: new Map(), issues: [syntaxIssue(err)] };
  }
  const indexer = new PositionIndexer(text, lines);
  let documents = 0;
  let hasContent = false;
  try {
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as Event;
      if (event.type === EVENT_ID.DOCUMENT) {
        if (++documents > 1) {
          const marker = text.slice(indexer.lastOffset).search(/^---/m);
          const next = events[i + 1];
          const offset = marker >= 0 ? indexer.lastOffset + marker : next && next.type !== EVENT_ID.POP && next.type !== EVENT_ID.DOCUMENT ? nodeOffset(next) : indexer.lastOffset;
          return { value: undefined, positions: indexer.positions, issues: [{ offset: Math.max(0, offset), message: 'a MailPolicy file holds one YAML document; remove the second one (or the "---" line)' }] };
        }
      } else if (event.type === EVENT_ID.POP) {
        indexer.pop();
      } else {
        hasContent = true;
        indexer.node(event);
      }
    }
  } catch (err) {
    return { value: undefined, positions: indexer.positions, issues: [...indexer.issues, syntaxIssue(err)] };
  }
  if (!hasContent) return { value: undefined, positions: indexer.positions, issues: [{ offset: 0, message: 'the document is empty: expected a MailPolicy mapping (apiVersion, kind, metadata, target)' }] };
  try {
    // json: duplicate keys (already reported above) keep the last value instead of stopping here.
    const [value] = constructFromEvents(events, { source: text, filename: fileName, json: true });
    return { value, positions: indexer.positions, issues: indexer.issues };
  } catch (err) {
    return { value: undefined, positions: indexer.positions, issues: [...indexer.issues, syntaxIssue(err)] };
  }
}
