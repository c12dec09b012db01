/**
 * Reads HotpotQA files: the dataset form (a list of {_id, question, answer, context, supporting_facts}) and
 * the official prediction form ({answer: {id: text}, sp: {id: [[title, n]]}}), with errors that say which
 * file, which entry and what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import type { HotpotPredictions, SupportingFact } from './hotpot-eval.js';

/** One context paragraph: [title, sentences]. */
export type HotpotParagraph = [string, string[]];

export interface HotpotQuestion {
  _id: string;
  question: string;
  /** Absent in unlabelled (test) files; scoring needs it. */
  answer: string;
  context: HotpotParagraph[];
  supporting_facts: SupportingFact[];
  type?: string;
  level?: string;
}

const FORM_HINT =
  'A HotpotQA file is a JSON list of {"_id": str, "question": str, "answer": str, "context": [[title, [sentence, ...]], ...], "supporting_facts": [[title, sentence_index], ...]}.';

function readJson(file: string, what: string): unknown {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new UserError(`The ${what} file does not exist.`, { file: abs, hint: 'Check the path.', code: 'not_found' });
  const text = fs.readFileSync(abs, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    // V8 says "... at position N" (or "line L column C" in newer versions); turn a position into a line.
    const pos = /position (\d+)/.exec(msg);
    const lineCol = /line (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : lineCol ? Number(lineCol[1]) : undefined;
    throw new UserError(`The ${what} file is not valid JSON: ${msg}`, {
      file: abs,
      line,
      hint: 'Fix the JSON syntax (a validator or `python -m json.tool FILE` shows where).',
      code: 'bad_json',
    });
  }
}

function isStr(x: unknown): x is string {
  return typeof x === 'string';
}

function isSupportingFact(x: unknown): x is SupportingFact {
  return Array.isArray(x) && x.length === 2 && isStr(x[0]) && Number.isInteger(x[1]) && (x[1] as number) >= 0;
}

/**
 * Loads and checks a HotpotQA dataset-form file. `requireAnswers` (default true) rejects entries without an
 * answer (needed for scoring). Duplicate ids are an error: the official scorer keys predictions by id.
 */
export function loadHotpotFile(file: string, opts: { requireAnswers?: boolean } = {}): HotpotQuestion[] {
  const abs = path.resolve(file);
  const data = readJson(abs, 'HotpotQA');
  if (!Array.isArray(data)) {
    const looksLikePredictions = data && typeof data === 'object' && 'answer' in (data as object) && !Array.isArray((data as { answer: unknown }).answer);
    throw new UserError(`The HotpotQA file holds ${data === null ? 'null' : typeof data} at the top level, not a list of questions.`, {
      file: abs,
      hint: looksLikePredictions
        ? 'This looks like a predictions file ({"answer": ..., "sp": ...}); pass it as --predictions and the dataset file as --gold.'
        : FORM_HINT,
      code: 'bad_qa_file',
    });
  }
  if (data.length === 0) throw new UserError('The HotpotQA file holds an empty list.', { file: abs, hint: FORM_HINT, code: 'bad_qa_file' });
  const seen = new Map<string, number>();
  const out: HotpotQuestion[] = [];
  data.forEach((raw: unknown, i: number) => {
    const where = (id?: unknown) => `Entry ${i}${isStr(id) ? ` (_id "${id}")` : ''}`;
    const bad = (what: string, hint = FORM_HINT): never => {
      throw new UserError(`${where((raw as { _id?: unknown } | null)?._id)} ${what}.`, { file: abs, hint, code: 'bad_qa_file' });
    };
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) bad('is not an object');
    const e = raw as Record<string, unknown>;
    if (!isStr(e._id) || e._id.length === 0) bad('has no "_id" string', 'Give every question a unique "_id" string.');
    if (!isStr(e.question) || e.question.trim() === '') bad('has no "question" text');
    if (e.answer === undefined) {
      if (opts.requireAnswers !== false) bad('has no "answer"', 'Scoring needs the gold answer of every question; use a labelled file (train or dev).');
    } else if (!isStr(e.answer)) bad('has an "answer" that is not a string');
    if (!Array.isArray(e.context) || e.context.length === 0) bad('has no "context" paragraphs', 'Give "context" as [[title, [sentence, ...]], ...].');
    (e.context as unknown[]).forEach((p, j) => {
      if (!Array.isArray(p) || p.length !== 2 || !isStr(p[0]) || !Array.isArray(p[1]) || !(p[1] as unknown[]).every(isStr)) {
        bad(`has context paragraph ${j} that is not [title, [sentence, ...]]`);
      }
    });
    const sf = e.supporting_facts ?? [];
    if (!Array.isArray(sf)) bad('has "supporting_facts" that is not a list');
    (sf as unknown[]).forEach((f, j) => {
      if (!isSupportingFact(f))
        bad(`has supporting fact ${j} that is not [title, sentence_index]`, 'Each supporting fact is [paragraph title, 0-based sentence index].');
    });
    const prev = seen.get(e._id as string);
    if (prev !== undefined) bad(`repeats the _id of entry ${prev}`, 'Every "_id" must be unique: the scorer matches predictions by id.');
    seen.set(e._id as string, i);
    out.push({
      _id: e._id as string,
      question: e.question as string,
      answer: (e.answer as string | undefined) ?? '',
      context: e.context as HotpotParagraph[],
      supporting_facts: sf as SupportingFact[],
      ...(isStr(e.type) ? { type: e.type } : {}),
      ...(isStr(e.level) ? { level: e.level } : {}),
    });
  });
  return out;
}

const PRED_HINT = 'A predictions file is {"answer": {"<_id>": "answer text", ...}, "sp": {"<_id>": [[title, sentence_index], ...], ...}} ("sp" is optional).';

/** Loads and checks a predictions file in the official form. */
export function loadHotpotPredictions(file: string): HotpotPredictions {
  const abs = path.resolve(file);
  const data = readJson(abs, 'predictions');
  if (Array.isArray(data)) {
    throw new UserError('The predictions file holds a list; predictions are an object {"answer": {...}, "sp": {...}}.', {
      file: abs,
      hint: `This looks like a dataset-form file; pass it as --gold. ${PRED_HINT}`,
      code: 'bad_predictions',
    });
  }
  if (!data || typeof data !== 'object')
    throw new UserError('The predictions file is not a JSON object.', { file: abs, hint: PRED_HINT, code: 'bad_predictions' });
  const o = data as Record<string, unknown>;
  if (!o.answer || typeof o.answer !== 'object' || Array.isArray(o.answer)) {
    throw new UserError('The predictions file has no "answer" object.', { file: abs, hint: PRED_HINT, code: 'bad_predictions' });
  }
  for (const [id, v] of Object.entries(o.answer as Record<string, unknown>)) {
    if (!isStr(v)) throw new UserError(`The answer for "${id}" is not a string.`, { file: abs, hint: PRED_HINT, code: 'bad_predictions' });
  }
  const out: HotpotPredictions = { answer: o.answer as Record<string, string> };
  if (o.sp !== undefined) {
    if (!o.sp || typeof o.sp !== 'object' || Array.isArray(o.sp))
      throw new UserError('"sp" is not an object keyed by _id.', { file: abs, hint: PRED_HINT, code: 'bad_predictions' });
    for (const [id, v] of Object.entries(o.sp as Record<string, unknown>)) {
      if (!Array.isArray(v) || !v.every(isSupportingFact)) {
        throw new UserError(`The supporting facts for "${id}" are not a list of [title, sentence_index].`, {
          file: abs,
          hint: PRED_HINT,
          code: 'bad_predictions',
        });
      }
    }
    out.sp = o.sp as Record<string, SupportingFact[]>;
  }
  return out;
}
