/**
 * HotpotQA's official evaluation (hotpot_evaluate_v1.py), ported line for line: answer normalisation, exact
 * match, token F1 with the yes/no/noanswer rule, supporting-fact EM/F1 over (title, sent_id) pairs and the
 * joint metrics, each averaged over all gold questions (a missing prediction adds 0).
 */

/** Python's `string.punctuation`. */
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
/**
 * Python 3's `re` `\b` is Unicode-aware (word = letters, numbers, underscore); JS `\b` is ASCII-only, so the
 * boundary is spelled out.
 */
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;
/** The characters Python's `str.split()` splits on (differs from JS `\s`: \x1c-\x1f and \x85 yes, \ufeff no). */
// eslint-disable-next-line no-control-regex -- \x1c-\x1f are whitespace to Python
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/** lower -> remove punctuation -> remove articles -> whitespace fix, in the official order. */
export function normalizeAnswer(s: string): string {
  const lower = s.toLowerCase();
  let noPunc = '';
  for (const ch of lower) if (!PUNCTUATION.has(ch)) noPunc += ch;
  const noArticles = noPunc.replace(ARTICLES, ' ');
  return pySplit(noArticles).join(' ');
}

function pySplit(s: string): string[] {
  return s.split(PY_WHITESPACE).filter((t) => t.length > 0);
}

export interface PrF {
  f1: number;
  precision: number;
  recall: number;
}

const ZERO: PrF = { f1: 0, precision: 0, recall: 0 };
const SPECIAL = new Set(['yes', 'no', 'noanswer']);

export function exactMatch(prediction: string, gold: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(gold) ? 1 : 0;
}

/** Token F1; if either side normalises to yes/no/noanswer and they differ, all three are 0. */
export function f1Score(prediction: string, gold: string): PrF {
  const p = normalizeAnswer(prediction);
  const g = normalizeAnswer(gold);
  if (SPECIAL.has(p) && p !== g) return ZERO;
  if (SPECIAL.has(g) && p !== g) return ZERO;
  const pt = p.split(' ').filter(Boolean);
  const gt = g.split(' ').filter(Boolean);
  const counts = new Map<string, number>();
  for (const t of gt) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of pt) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return ZERO;
  const precision = same / pt.length;
  const recall = same / gt.length;
  return { f1: (2 * precision * recall) / (precision + recall), precision, recall };
}

/** A supporting fact: [title, sentence index]. */
export type SupportingFact = [string, number];

/** Set-based precision/recall over (title, sent_id); EM = 1 only when nothing is missing or extra. */
export function supportingFactScore(prediction: readonly SupportingFact[], gold: readonly SupportingFact[]): PrF & { em: number } {
  // JSON keys keep Python's tuple equality: ["T", 1] and ["T", "1"] differ.
  const pred = new Set(prediction.map((f) => JSON.stringify(f)));
  const g = new Set(gold.map((f) => JSON.stringify(f)));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const e of pred) {
    if (g.has(e)) tp++;
    else fp++;
  }
  for (const e of g) if (!pred.has(e)) fn++;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { em: fp + fn === 0 ? 1 : 0, f1, precision, recall };
}

export interface GoldQuestion {
  _id: string;
  answer: string;
  supporting_facts: SupportingFact[];
}

/** The official prediction form. `sp` may be absent (answer-only scoring). */
export interface HotpotPredictions {
  answer: Record<string, string>;
  sp?: Record<string, SupportingFact[]>;
}

export interface HotpotMetrics {
  questions: number;
  exact_match: number;
  f1: number;
  precision: number;
  recall: number;
  /** Gold questions with no answer prediction (each scored 0). */
  missing_answers: number;
  sp_em?: number;
  sp_f1?: number;
  sp_precision?: number;
  sp_recall?: number;
  joint_em?: number;
  joint_f1?: number;
  joint_precision?: number;
  joint_recall?: number;
  missing_sp?: number;
}

/** `eval()` of the official script. Supporting-fact and joint metrics only when `predictions.sp` is given. */
export function evaluateHotpot(predictions: HotpotPredictions, gold: readonly GoldQuestion[]): HotpotMetrics {
  const withSp = predictions.sp !== undefined;
  const m = { em: 0, f1: 0, prec: 0, recall: 0, sp_em: 0, sp_f1: 0, sp_prec: 0, sp_recall: 0, joint_em: 0, joint_f1: 0, joint_prec: 0, joint_recall: 0 };
  let missingAnswers = 0;
  let missingSp = 0;
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  for (const dp of gold) {
    const id = dp._id;
    let canJoint = true;
    let em = 0;
    let prec = 0;
    let recall = 0;
    if (!has(predictions.answer, id)) {
      missingAnswers++;
      canJoint = false;
    } else {
      const pred = predictions.answer[id]!;
      em = exactMatch(pred, dp.answer);
      const s = f1Score(pred, dp.answer);
      m.em += em;
      m.f1 += s.f1;
      m.prec += s.precision;
      m.recall += s.recall;
      prec = s.precision;
      recall = s.recall;
    }
    if (!withSp) continue;
    if (!has(predictions.sp!, id)) {
      missingSp++;
      canJoint = false;
      continue;
    }
    const sp = supportingFactScore(predictions.sp![id]!, dp.supporting_facts);
    m.sp_em += sp.em;
    m.sp_f1 += sp.f1;
    m.sp_prec += sp.precision;
    m.sp_recall += sp.recall;
    if (canJoint) {
      const jp = prec * sp.precision;
      const jr = recall * sp.recall;
      m.joint_f1 += jp + jr > 0 ? (2 * jp * jr) / (jp + jr) : 0;
      m.joint_em += em * sp.em;
      m.joint_prec += jp;
      m.joint_recall += jr;
    }
  }
  const n = gold.length;
  const avg = (x: number) => (n > 0 ? x / n : 0);
  const out: HotpotMetrics = {
    questions: n,
    exact_match: avg(m.em),
    f1: avg(m.f1),
    precision: avg(m.prec),
    recall: avg(m.recall),
    missing_answers: missingAnswers,
  };
  if (withSp) {
    Object.assign(out, {
      sp_em: avg(m.sp_em),
      sp_f1: avg(m.sp_f1),
      sp_precision: avg(m.sp_prec),
      sp_recall: avg(m.sp_recall),
      joint_em: avg(m.joint_em),
      joint_f1: avg(m.joint_f1),
      joint_precision: avg(m.joint_prec),
      joint_recall: avg(m.joint_recall),
      missing_sp: missingSp,
    });
  }
  return out;
}
