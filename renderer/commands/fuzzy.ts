/**
 * Fuzzy match for the command palette: the query's characters in order (case-insensitive). Scores favour
 * word starts and consecutive runs, like VS Code's quick open. Returns matched indices for highlighting.
 */
export interface FuzzyMatch {
  score: number;
  indices: number[];
}

export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return { score: 0, indices: [] };
  const t = text.toLowerCase();
  const indices: number[] = [];
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    let found = -1;
    // Prefer a word start at or after ti, else the next occurrence.
    for (let i = ti; i < t.length; i++) {
      if (t[i] === ch && (i === 0 || /[\s:._\-/]/.test(t[i - 1]!))) {
        found = i;
        break;
      }
    }
    const next = t.indexOf(ch, ti);
    if (next === -1) return null;
    if (found === -1 || (next === prev + 1 && found !== next)) found = next;
    const wordStart = found === 0 || /[\s:._\-/]/.test(t[found - 1]!);
    score += 1 + (found === prev + 1 ? 4 : 0) + (wordStart ? 3 : 0);
    indices.push(found);
    prev = found;
    ti = found + 1;
  }
  return { score: score - t.length * 0.01, indices };
}
