/** Who wrote a version, for the review view's lines: ": model name", ": drafter" or ": annotator" (empty when unknown). */
export function agentName(agent: Record<string, unknown>): string {
  const model = (agent.model as { name?: string } | undefined)?.name ?? (agent.drafter as string | undefined) ?? (agent.annotator as string | undefined);
  return model ? `: ${model}` : '';
}

/** A quality flag's tooltip from the stored check details. */
export function flagTitle(flag: string, details: Record<string, unknown> | undefined): string {
  if (!details) return flag;
  if (flag === 'invalid') return String(details.invalid ?? flag);
  if (flag === 'too_short' || flag === 'too_long') return `${String(details.words)} words`;
  if (flag === 'leakage') return `Names a held-out item: ${JSON.stringify(details.leakage)}`;
  if (flag === 'unknown_item') return `Names items not in the history: ${JSON.stringify(details.unknownItems)}`;
  if (flag === 'near_duplicate') return `Near-duplicate of versions ${JSON.stringify(details.nearDuplicates)}`;
  return flag;
}
