/**
 * The escaping every human output goes through lives in src/text/escape.ts, below the model
 * (which escapes the values it quotes in problems): this path re-exports it, so the model no
 * longer imports src/report while src/report imports the model.
 */
export * from '../text/escape';
