// Where SQL lives (docs/architecture.md): in a feature's stores and data modules, never in its handlers (the
// host's doors call them) or its jobs; those call named functions such as getRun, assertUser or openRankRun.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const SQL_CALL = /\.(prepare|exec|pragma)\(/;

function handlerAndJobFiles(dir = 'main/features'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return handlerAndJobFiles(p);
    return /-(handlers|job)\.ts$/.test(e.name) ? [p] : [];
  });
}

describe('SQL placement', () => {
  test('handlers and jobs hold no SQL of their own', () => {
    const files = handlerAndJobFiles();
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => SQL_CALL.test(fs.readFileSync(f, 'utf8')))).toEqual([]);
  });

  test('the check sees a statement', () => {
    expect(SQL_CALL.test("db.prepare('SELECT 1')")).toBe(true);
    expect(SQL_CALL.test('db\n    .prepare(`SELECT 1`)')).toBe(true);
    expect(SQL_CALL.test('assertUser(db, ds, 3)')).toBe(false);
  });
});
