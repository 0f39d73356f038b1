/** Public API of the mailpolicy package. */
export * from './model/types';
