/**
 * Progress of long work (apply's writes, drift's reads) on stderr, never stdout. On a terminal
 * one line that updates in place (carriage return, cleared at the end); elsewhere (CI logs) a
 * plain line every `intervalMs`. Counts are grouped ("12,345 of 60,000 changes") with a rate
 * and an ETA once a rate is known. Every line goes through escapeControls.
 */
import { escapeControls } from '../text/escape';

/** A CI log gets a line this often by default. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 10_000;
/** Sets the interval (tests lower it): read by the CLI and by the Pulumi provider. */
export const PROGRESS_INTERVAL_ENV = 'MAILPOLICY_PROGRESS_INTERVAL_MS';

/** The interval `text` (the variable's value) asks for: the default when unset, undefined when not a whole number ≥ 1. */
export function progressInterval(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return DEFAULT_PROGRESS_INTERVAL_MS;
  return /^[0-9]+$/.test(text) && Number(text) >= 1 ? Number(text) : undefined;
}

/** A terminal's line is redrawn this often. */
const TERMINAL_REDRAW_MS = 250;

export interface ProgressOptions {
  /** Where lines go (stderr). */
  readonly write: (text: string) => void;
  /** One updating line (terminal) or a line per interval (log). */
  readonly terminal: boolean;
  /** Log mode: milliseconds between lines. */
  readonly intervalMs?: number;
  /** What is being done, e.g. `mailpolicy apply: writing`. */
  readonly label: string;
  /** What is counted, plural: `changes`, `mailboxes`. */
  readonly noun: string;
  /** The total, when known. */
  readonly total?: number;
  readonly now?: () => number;
}

export interface Progress {
  /** `done` items finished so far (absolute). */
  update(done: number): void;
  /** Stops the timer and, when a progress line was shown, prints the final one: done, with the total and the time taken. */
  finish(done: number): void;
  /** Stops the timer; clears a terminal line; prints nothing more (the caller reports the failure). */
  stop(): void;
}

const grouped = (n: number): string => Math.round(n).toLocaleString('en-US');

/** 75 → `1:15`, 3725 → `1:02:05`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `12,345 of 60,000 changes (410/s, ETA 1:50)`; without a total `12,345 changes`; elapsed always. */
export function progressLine(label: string, noun: string, done: number, total: number | undefined, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  const parts = [`${grouped(done)}${total === undefined ? '' : ` of ${grouped(total)}`} ${noun}`];
  const rate = seconds > 0 ? done / seconds : 0;
  const facts = [`${duration(seconds)} elapsed`];
  if (rate > 0) facts.push(`${grouped(rate)}/s`);
  if (rate > 0 && total !== undefined && done < total) facts.push(`ETA ${duration((total - done) / rate)}`);
  return escapeControls(`${label}: ${parts.join('')} (${facts.join(', ')})`);
}

export function startProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  let done = 0;
  let drawn = false;
  // Work shorter than one interval says nothing, not even done: progress is for long work.
  let shown = false;
  const line = (): string => progressLine(options.label, options.noun, done, options.total, now() - started);
  const draw = (): void => {
    shown = true;
    if (options.terminal) {
      options.write(`\r\x1b[2K${line()}`);
      drawn = true;
    } else options.write(`${line()}\n`);
  };
  // unref: a pending tick never keeps the process alive.
  const timer = setInterval(draw, options.terminal ? TERMINAL_REDRAW_MS : (options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS));
  timer.unref();
  const stop = (): void => {
    clearInterval(timer);
    if (drawn) options.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    update(n) {
      done = n;
    },
    finish(n) {
      done = n;
      stop();
      if (!shown) return;
      const seconds = (now() - started) / 1000;
      options.write(`${escapeControls(`${options.label}: done, ${grouped(done)}${options.total === undefined || options.total === done ? '' : ` of ${grouped(options.total)}`} ${options.noun} in ${duration(seconds)}`)}\n`);
    },
    stop,
  };
}
