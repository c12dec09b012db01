/** Word tokens: the unit the quality checks, near-duplicate shingles and agreement's token F1 work on. */

/** Lower-case word tokens (letters and digits). */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
