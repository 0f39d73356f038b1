/**
 * The output formats of `mailpolicy check`, one module each, loaded only when chosen so the
 * CLI starts fast.
 */
import type { CheckReport } from './check-report';

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'github', 'markdown', 'junit'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** Dynamic import: compiled to a lazy require, and resolvable by vitest's TS loader too. */
export async function renderCheckReport(format: CheckFormat, report: CheckReport): Promise<string> {
  switch (format) {
    case 'text':
      return (await import('./text')).renderText(report);
    case 'json':
      return (await import('./json')).renderJson(report);
    case 'sarif':
      return (await import('./sarif')).renderSarif(report);
    case 'github':
      return (await import('./github')).renderGithub(report);
    case 'markdown':
      return (await import('./markdown')).renderMarkdown(report);
    case 'junit':
      return (await import('./junit')).renderJunit(report);
  }
}
