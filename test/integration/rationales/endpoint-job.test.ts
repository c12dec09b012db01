/** The same generation job against an OpenAI-compatible endpoint (a local fake server): same record, endpoint provenance. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRIBUTIONS } from '../../../main/features/index.js';
import { Host } from '../../../main/platform/host/host.js';
import type { GenerateResult } from '../../../main/features/rationales/generate-job.js';
import { dataSet, missingReason } from '../../support/data.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fake-openai-server.js';
import { importOffice } from '../../support/rationale-data.js';
import { tempDir } from '../../support/temp.js';

const office = dataSet('amazon_office_lcrec');
let host: Host;
let cleanup: () => void;
let server: FakeOpenAiServer;

beforeAll(async () => {
  if (!office) return;
  const t = tempDir('pulse-endpoint-');
  cleanup = t.cleanup;
  host = Host.open(t.dir, 'cli', CONTRIBUTIONS);
  await importOffice(host.workspace.db, 'office');
  server = await startFakeOpenAiServer({ delayMs: 20 });
});
afterAll(async () => {
  await host?.close();
  await server?.close();
  cleanup?.();
});

describe.skipIf(!office)(`generation through an OpenAI-compatible endpoint${office ? '' : ` - skipped: ${missingReason('amazon_office_lcrec')}`}`, () => {
  it('generates with endpoint provenance, requests JSON with a bounded string, runs requests in parallel, skips on re-run', async () => {
    const params = { dataset: 'office', endpoint: { url: server.url, model: 'fake-slm' }, users: 30, parallel: 4 };
    const job = await host.jobs.wait(host.jobs.start('rationales.generate', params, 'endpoint').id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const r = job.result as GenerateResult;
    expect(r).toMatchObject({ generated: 30, skipped: 0, failed: 0, agentKind: 'endpoint' });
    const rows = host.workspace.db.prepare("SELECT text, agent FROM rationale_versions WHERE agent_kind = 'endpoint'").all() as Array<{
      text: string;
      agent: string;
    }>;
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      const a = JSON.parse(row.agent) as Record<string, unknown>;
      expect(a).toMatchObject({
        kind: 'endpoint',
        endpoint: { url: server.url, model: 'fake-slm' },
        model: { name: 'fake-slm', fileHash: null },
        template: { name: 'pulse-rationale' },
      });
      expect(JSON.parse(a.output as string)).toHaveProperty('rationale');
      expect(row.text.length).toBeGreaterThan(0);
    }
    const chat = server.requests.filter((q) => q.path === '/v1/chat/completions');
    expect(chat.length).toBe(30);
    const body = chat[0]!.body as {
      response_format: { json_schema: { schema: { properties: { rationale: { maxLength: number } } } } };
      temperature: number;
      max_tokens: number;
    };
    expect(body.response_format.json_schema.schema.properties.rationale.maxLength).toBe(600);
    expect(body.temperature).toBe(0.7);
    expect(body.max_tokens).toBe(150);
    expect(server.maxConcurrent).toBeGreaterThan(1);

    const again = await host.jobs.wait(host.jobs.start('rationales.generate', params, 'endpoint again').id);
    expect(again.result).toMatchObject({ generated: 0, skipped: 30 });
  });

  it("hands the API key set in the workbench to the job's worker, in memory only", async () => {
    const locked = await startFakeOpenAiServer({ apiKey: 'sk-worker-test-key' });
    try {
      await host.invoke('models.endpointConfigure', { url: locked.url, model: 'fake-slm', apiKey: 'sk-worker-test-key' });
      const { jobId } = await host.invoke('rationales.generate', {
        dataset: 'office',
        endpoint: { url: locked.url, model: 'fake-slm' },
        users: 3,
        regenerate: true,
      });
      const job = await host.jobs.wait(jobId);
      expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
      expect(job.result).toMatchObject({ generated: 3, failed: 0 });
      expect(JSON.stringify(job.params)).not.toContain('sk-worker-test-key');
    } finally {
      await host.invoke('models.endpointConfigure', { url: locked.url, model: 'fake-slm', apiKey: null });
      await locked.close();
    }
  });
});
