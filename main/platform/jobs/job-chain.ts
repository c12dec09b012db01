import type { Db } from '../storage/database.js';

/** A job and every job it resumes, newest first (the chain of `pulse jobs resume`; at most 1,000 long). */
export function jobChain(db: Db, jobId: number): number[] {
  const out: number[] = [];
  const prev = db.prepare('SELECT resumed_from FROM jobs WHERE id = ?').pluck();
  let id: number | null = jobId;
  while (id !== null && out.length < 1000) {
    out.push(id);
    id = (prev.get(id) as number | null | undefined) ?? null;
  }
  return out;
}
