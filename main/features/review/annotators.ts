/** Annotator profiles: a name (portable across workspaces), a display name and a role. */
import type { Db } from '../../platform/storage/database.js';

export interface AnnotatorRow {
  id: number;
  name: string;
  displayName: string;
  role: 'annotator' | 'lead';
  decisions: number;
}

/** The annotator's id, creating the profile on first use (a person starts reviewing by giving their name). */
export function ensureAnnotator(db: Db, name: string, opts: { displayName?: string; role?: 'annotator' | 'lead'; createdAt?: string } = {}): number {
  const found = db.prepare('SELECT id FROM annotators WHERE name = ?').pluck().get(name) as number | undefined;
  if (found !== undefined) {
    if (opts.displayName !== undefined || opts.role !== undefined) {
      // Profiles are not review data: a display name or role may change.
      db.prepare('UPDATE annotators SET display_name = COALESCE(?, display_name), role = COALESCE(?, role) WHERE id = ?').run(
        opts.displayName ?? null,
        opts.role ?? null,
        found,
      );
    }
    return found;
  }
  return Number(
    db
      .prepare("INSERT INTO annotators(name, display_name, role, created_at) VALUES (?, ?, ?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%fZ','now')))")
      .run(name, opts.displayName ?? '', opts.role ?? 'annotator', opts.createdAt ?? null).lastInsertRowid,
  );
}

export function annotatorId(db: Db, name: string): number | undefined {
  return db.prepare('SELECT id FROM annotators WHERE name = ?').pluck().get(name) as number | undefined;
}

export function listAnnotators(db: Db): AnnotatorRow[] {
  return db
    .prepare(
      `SELECT a.id, a.name, a.display_name AS displayName, a.role,
        (SELECT COUNT(*) FROM review_decisions d WHERE d.annotator_id = a.id AND d.decision <> 'undo') AS decisions
       FROM annotators a ORDER BY a.name`,
    )
    .all() as AnnotatorRow[];
}
