import type { Command } from '../../commands/registry';
import type { Services } from '../../workbench/services';
import { openReview } from '../rationales/commands';
import type { RationaleRef } from './RationaleDetail';

export function openAsk(s: Services): void {
  s.layout.showView('reasoning');
  s.editors.open({ id: 'reasoning.ask', kind: 'reasoning.ask', title: 'Ask', description: 'Ask a free question about a user', data: { compare: false } });
}

export function openCompare(s: Services): void {
  s.layout.showView('reasoning');
  s.editors.open({
    id: 'reasoning.compare',
    kind: 'reasoning.ask',
    title: 'Compare Answers',
    description: 'The same question under two settings',
    data: { compare: true },
  });
}

export function openQa(s: Services): void {
  s.layout.showView('reasoning');
  s.editors.open({ id: 'reasoning.qa', kind: 'reasoning.qa', title: 'Question Answering', description: 'HotpotQA-form questions with and without reasoning' });
}

export function openTree(s: Services): void {
  s.layout.showView('reasoning');
  s.editors.open({ id: 'reasoning.tree', kind: 'reasoning.tree', title: 'Refinement Tree', description: 'Tree-of-Thought refinement results' });
}

/** A user's rationale: the review view's command when the review feature offers one, else the detail tab. */
export function openRationale(s: Services, ref: RationaleRef): void {
  s.editors.open({
    id: `rationale:${ref.dataset}:${ref.user}`,
    kind: 'rationale.detail',
    title: `Rationale #${ref.user}`,
    description: `Rationales of user #${ref.user} in ${ref.dataset}`,
    data: ref,
  });
}

/**
 * A refinement winner in the review view (the review feature's editor, on the rationale that holds the winning
 * version), so a person can accept or edit it; the rationale detail tab where the review view is absent.
 */
export async function openWinnerInReview(s: Services, ref: RationaleRef): Promise<void> {
  if (!s.commands.get('review.start')) return openRationale(s, ref);
  const { rows } = await s.api.call('rationales.list', { dataset: ref.dataset, user: ref.user, limit: 50 });
  const row = rows.find((r) => r.latest?.id === ref.versionId) ?? rows[0];
  if (!row) return openRationale(s, ref);
  s.layout.showView('rationales');
  openReview(s, ref.dataset, 'all', row.id);
}

export function reasoningCommands(s: Services): Command[] {
  return [
    { id: 'reasoning.ask', category: 'Reasoning', title: 'Ask About a User…', keybinding: 'Ctrl+Alt+A', run: () => openAsk(s) },
    { id: 'reasoning.compare', category: 'Reasoning', title: 'Compare Two Settings Side by Side', run: () => openCompare(s) },
    { id: 'reasoning.qa', category: 'Reasoning', title: 'Question Answering (HotpotQA)…', run: () => openQa(s) },
    { id: 'reasoning.tree', category: 'Reasoning', title: 'Open Refinement Tree', run: () => openTree(s) },
  ];
}
