import type { Handlers, Host } from '../../platform/host/host.js';
import { resolveModelRef, type GenerationTarget } from './generation-backend.js';
import { runPlayground } from './playground.js';
import { parseTemplate } from './prompt-template.js';
import { getRationale, listRationales } from './rationale-store.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { ensureDefaultTemplate, getTemplate, listTemplates, saveTemplate, type StoredTemplate } from './template-store.js';

function describe(t: StoredTemplate) {
  const p = parseTemplate(t.body);
  return { ...t, variables: p.variables, settings: p.settings as Record<string, number> };
}

async function targetOf(
  host: Host,
  i: { model?: string; endpoint?: { url: string; model: string }; parallel?: number; threads?: number; contextSize?: number; gpu?: boolean },
): Promise<GenerationTarget> {
  if (i.endpoint)
    return {
      kind: 'endpoint',
      url: i.endpoint.url,
      model: i.endpoint.model,
      parallel: i.parallel ?? 1,
      contextSize: i.contextSize,
    };
  return {
    kind: 'local',
    modelPath: await resolveModelRef(host.workspace, i.model!),
    parallel: i.parallel ?? 1,
    threads: i.threads,
    contextSize: i.contextSize,
    gpu: i.gpu,
  };
}

export const rationalesHandlers: Handlers<
  'rationales.list' | 'rationales.get' | 'rationales.generate' | 'rationales.draft' | 'templates.list' | 'templates.get' | 'templates.save' | 'playground.run'
> = {
  'rationales.list': (i, host) => {
    const ds = datasetByName(host.workspace.db, i.dataset);
    return listRationales(host.workspace.db, ds.id, { offset: i.offset, limit: i.limit, agentKind: i.agentKind, userIdx: i.user });
  },
  'rationales.get': (i, host) => getRationale(host.workspace.db, i.id),
  'rationales.generate': async (i, host) => {
    datasetByName(host.workspace.db, i.dataset);
    const model = i.model ? await resolveModelRef(host.workspace, i.model) : undefined;
    // Resolved to the hash now: a resume must use the very same text even if a newer template takes the name.
    const template = i.template ? getTemplate(host.workspace.db, i.template).hash : ensureDefaultTemplate(host.workspace.db).hash;
    const params = { ...i, model, template };
    const title = `Generate rationales for ${i.dataset}${i.users ? ` (${i.users} users)` : ''}`;
    return { jobId: host.jobs.start('rationales.generate', params, title, null, await host.jobs.secretsForJobs()).id };
  },
  'rationales.draft': (i, host) => {
    datasetByName(host.workspace.db, i.dataset);
    return { jobId: host.jobs.start('rationales.draft', i, `Draft extractive rationales for ${i.dataset}`).id };
  },
  'templates.list': (_i, host) => ({ templates: listTemplates(host.workspace.db).map(describe) }),
  'templates.get': (i, host) => describe(getTemplate(host.workspace.db, i.ref)),
  'templates.save': (i, host) => describe(saveTemplate(host.workspace.db, i.name, i.body)),
  'playground.run': async (i, host) =>
    runPlayground(host.workspace, {
      dataset: i.dataset,
      user: i.user,
      template: i.template,
      body: i.body,
      settings: i.settings,
      target: await targetOf(host, i),
    }),
};
