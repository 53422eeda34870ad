/** For each line of a comment, whether it is kept (see internal-notes.mjs). */
export function keptLines(lines: string[]): boolean[];
/** A `/** ... *\/` comment without its implementation notes. */
export function withoutNotesInJSDoc(comment: string): string;
