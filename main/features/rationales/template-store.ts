/** Prompt templates in the workspace, addressed by the sha256 of their body (saving the same text twice is a no-op). */
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import { DEFAULT_TEMPLATE_NAME, defaultTemplateBody, parseTemplate, templateHash } from './prompt-template.js';

export interface StoredTemplate {
  hash: string;
  name: string;
  body: string;
  createdAt: string;
}

interface Row {
  hash: string;
  name: string;
  body: string;
  created_at: string;
}

const toTemplate = (r: Row): StoredTemplate => ({ hash: r.hash, name: r.name, body: r.body, createdAt: r.created_at });

/** Validates and stores; returns the stored row (the existing one when the body is already there). */
export function saveTemplate(db: Db, name: string, body: string, createdAt?: string): StoredTemplate {
  parseTemplate(body);
  const hash = templateHash(body);
  db.prepare(
    "INSERT INTO prompt_templates(hash, name, body, created_at) VALUES (?, ?, ?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))) ON CONFLICT(hash) DO NOTHING",
  ).run(hash, name, body, createdAt ?? null);
  return getTemplate(db, hash);
}

/** The default template, stored on first use. */
export function ensureDefaultTemplate(db: Db): StoredTemplate {
  return saveTemplate(db, DEFAULT_TEMPLATE_NAME, defaultTemplateBody());
}

/** By full hash, unique hash prefix (at least 6 characters), or name (newest version). */
export function getTemplate(db: Db, ref: string): StoredTemplate {
  let row = db.prepare('SELECT * FROM prompt_templates WHERE hash = ?').get(ref) as Row | undefined;
  if (!row && /^[0-9a-f]{6,63}$/.test(ref)) {
    const rows = db.prepare('SELECT * FROM prompt_templates WHERE hash LIKE ? LIMIT 2').all(`${ref}%`) as Row[];
    if (rows.length === 1) row = rows[0];
  }
  if (!row) row = db.prepare('SELECT * FROM prompt_templates WHERE name = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(ref) as Row | undefined;
  if (!row && ref === DEFAULT_TEMPLATE_NAME) return ensureDefaultTemplate(db);
  if (!row)
    throw new UserError(`There is no prompt template "${ref}".`, { hint: 'List them with the templates view, or give a hash or name.', code: 'not_found' });
  return toTemplate(row);
}

export function listTemplates(db: Db): StoredTemplate[] {
  ensureDefaultTemplate(db);
  return (db.prepare('SELECT * FROM prompt_templates ORDER BY name, created_at DESC').all() as Row[]).map(toTemplate);
}
