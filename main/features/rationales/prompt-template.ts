/**
 * Prompt templates (docs/rationale-generation.md, "Template syntax"): optional front matter with sampling
 * settings, then `=== system ===` and `=== user ===` sections, with `{{variable}}` placeholders and
 * `{{#variable}} ... {{/variable}}` blocks that appear only when the variable is non-empty. A template is
 * identified by the sha256 of its body, so a rationale's provenance names exactly the text that produced it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../base/errors.js';
import { packageRoot } from '../../platform/paths.js';

export const TEMPLATE_VARIABLES = ['history', 'reviews', 'target', 'similar_users', 'user_id', 'n_history'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface TemplateSettings {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  maxChars?: number;
}

export interface ParsedTemplate {
  name: string | null;
  settings: TemplateSettings;
  system: string;
  user: string;
  variables: TemplateVariable[];
}

export const DEFAULT_TEMPLATE_NAME = 'pulse-rationale';

export function templateHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** The default template's text (resources/prompts/pulse-rationale.md). */
export function defaultTemplateBody(): string {
  return fs.readFileSync(path.join(packageRoot(), 'resources', 'prompts', 'pulse-rationale.md'), 'utf8');
}

const SECTION_RE = /^===\s*(system|user)\s*===\s*$/gm;
const VAR_RE = /\{\{\s*([#/]?)([a-z_]+)\s*\}\}/g;

function lineOf(body: string, index: number): number {
  return body.slice(0, index).split('\n').length;
}

/** Parses and validates a template; errors carry the line. */
export function parseTemplate(body: string, file?: string): ParsedTemplate {
  let rest = body.replace(/\r\n/g, '\n');
  let settings: TemplateSettings = {};
  let name: string | null = null;
  let offsetLines = 0;
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(rest);
  if (fm) {
    let meta: unknown;
    try {
      meta = parseYaml(fm[1]!);
    } catch (e) {
      throw new UserError(`The template's front matter is not valid YAML: ${(e as Error).message}`, { file, line: 2, code: 'bad_template' });
    }
    const m = (meta ?? {}) as Record<string, unknown>;
    const n = (k: string): number | undefined => {
      const v = m[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new UserError(`Front matter "${k}" must be a non-negative number.`, { file, line: 2, code: 'bad_template' });
      return v;
    };
    settings = { temperature: n('temperature'), topP: n('top_p'), topK: n('top_k'), maxTokens: n('max_tokens'), maxChars: n('max_chars') };
    for (const k of Object.keys(settings) as (keyof TemplateSettings)[]) if (settings[k] === undefined) delete settings[k];
    name = typeof m.name === 'string' ? m.name : null;
    offsetLines = fm[0].split('\n').length - 1;
    rest = rest.slice(fm[0].length);
  }
  const sections: Record<string, string> = {};
  const marks = [...rest.matchAll(SECTION_RE)];
  if (marks.length === 0) sections.user = rest;
  else {
    if (rest.slice(0, marks[0]!.index).trim()) {
      throw new UserError('Text before the first "=== system ===" or "=== user ===" line.', { file, line: offsetLines + 1, code: 'bad_template' });
    }
    marks.forEach((mk, i) => {
      const start = mk.index! + mk[0].length + 1;
      const end = i + 1 < marks.length ? marks[i + 1]!.index! : rest.length;
      if (sections[mk[1]!] !== undefined)
        throw new UserError(`Two "${mk[1]}" sections.`, { file, line: offsetLines + lineOf(rest, mk.index!), code: 'bad_template' });
      sections[mk[1]!] = rest.slice(start, end).replace(/\n+$/, '');
    });
  }
  if (!sections.user?.trim())
    throw new UserError('The template has no user section (or it is empty).', {
      file,
      hint: 'Add a line "=== user ===" followed by the prompt.',
      code: 'bad_template',
    });
  const variables = new Set<TemplateVariable>();
  for (const [sec, text] of Object.entries(sections)) {
    const open: string[] = [];
    for (const m of text.matchAll(VAR_RE)) {
      const v = m[2]!;
      const at = offsetLines + lineOf(rest, rest.indexOf(text)) + lineOf(text, m.index!) - 1;
      if (!(TEMPLATE_VARIABLES as readonly string[]).includes(v)) {
        throw new UserError(`Unknown variable {{${v}}} in the ${sec} section.`, {
          file,
          line: at,
          hint: `Variables: ${TEMPLATE_VARIABLES.map((x) => `{{${x}}}`).join(', ')}.`,
          code: 'bad_template',
        });
      }
      if (m[1] === '#') open.push(v);
      else if (m[1] === '/') {
        if (open.pop() !== v) throw new UserError(`{{/${v}}} closes a block that is not open.`, { file, line: at, code: 'bad_template' });
      }
      variables.add(v as TemplateVariable);
    }
    if (open.length) throw new UserError(`Block {{#${open.at(-1)}}} is never closed with {{/${open.at(-1)}}}.`, { file, code: 'bad_template' });
  }
  if (!variables.has('target')) throw new UserError('The template never shows the chosen item: add {{target}}.', { file, code: 'bad_template' });
  return { name, settings, system: sections.system ?? '', user: sections.user, variables: [...variables] };
}

/** Fills placeholders; a block renders only when its variable is non-empty (block lines vanish entirely). */
export function fill(text: string, values: Partial<Record<TemplateVariable, string>>): string {
  const blocks = /^[ \t]*\{\{#([a-z_]+)\}\}[ \t]*\n([\s\S]*?)^[ \t]*\{\{\/\1\}\}[ \t]*(\n|$)/gm;
  let out = text;
  for (let i = 0; i < 4 && blocks.test(out); i++) {
    blocks.lastIndex = 0;
    out = out.replace(blocks, (_all, v: string, inner: string) => ((values[v as TemplateVariable] ?? '').trim() ? inner : ''));
  }
  // Inline blocks ({{#x}}...{{/x}} on one line).
  out = out.replace(/\{\{#([a-z_]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g, (_a, v: string, inner: string) => ((values[v as TemplateVariable] ?? '').trim() ? inner : ''));
  return out.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_a, v: string) => values[v as TemplateVariable] ?? '');
}
