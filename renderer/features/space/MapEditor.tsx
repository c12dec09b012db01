import { lazy, Suspense, useEffect, useState } from 'react';
import { SpaceTrainInput, type SpaceMapPoint } from '../../../common/contract';
import type { EditorProps } from '../feature';
import type { ChartTrace } from '../../ui/Chart';
import { fmtNum, useCall, useJob, useJobsFinished } from '../../ui/host';
import { JobStatus } from '../../ui/JobStatus';
import { NumberInput } from '../../ui/NumberInput';
import { usePersistentState } from '../../ui/persist';
import { DatasetSelect } from '../../ui/pickers';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { openRationale } from '../reasoning/commands';

const Chart = lazy(() => import('../../ui/Chart'));

type ColourBy = 'kind' | 'split' | 'kind+split';

/** Behaviour and rationale embeddings of a Thought Space, before and after training; a point opens its rationale. */
export function MapEditor({ input }: EditorProps) {
  const s = useServices();
  const want = (input.data as { space?: number | null } | undefined)?.space ?? null;
  const finished = useJobsFinished(['space.']);
  const spaces = useCall('space.list', {}, finished);
  const [space, setSpace] = usePersistentState<number | null>('space.map.space', want);
  const [colour, setColour] = usePersistentState<ColourBy>('space.map.colour', 'kind');
  const ready = (spaces.data?.spaces ?? []).filter((x) => x.state === 'ready');
  useEffect(() => {
    if (want !== null) setSpace(want);
  }, [want, setSpace]);
  useEffect(() => {
    if ((space === null || !ready.some((x) => x.id === space)) && ready[0]) setSpace(ready[0].id);
  }, [space, ready, setSpace]);
  const current = ready.find((x) => x.id === space) ?? null;
  const map = useCall('space.map', current ? { id: current.id } : null);

  const onPoint = (d: unknown) => {
    const p = d as SpaceMapPoint;
    if (current) openRationale(s, { dataset: current.dataset, user: p.userIdx, versionId: p.rationaleVersionId });
  };

  return (
    <div className="editor-page space-map" data-testid="space-map">
      <header className="page-header">
        <h1>Thought-Space Map</h1>
      </header>
      <HostErrorBox error={spaces.error} what="Thought Spaces" methods={['space.list']} />
      <TrainSpace />
      {spaces.data && ready.length === 0 && (
        <div className="empty-state">No trained Thought Space yet: train one above (it needs rationales for the dataset).</div>
      )}
      {ready.length > 0 && (
        <section className="section" style={{ maxWidth: 'none' }}>
          <div className="controls">
            <label title="A trained Thought Space">
              Space
              <select className="input" aria-label="Space" value={space ?? ''} onChange={(e) => setSpace(Number(e.target.value))}>
                {ready.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name} · {x.dataset} · {x.encoder}
                  </option>
                ))}
              </select>
            </label>
            <label title="The attribute points are coloured by">
              Colour by
              <select className="input" aria-label="Colour by" value={colour} onChange={(e) => setColour(e.target.value as ColourBy)}>
                <option value="kind">behaviour / rationale</option>
                <option value="split">train / holdout</option>
                <option value="kind+split">both</option>
              </select>
            </label>
            {current?.before && current.after && (
              <span className="muted small" data-testid="retrieval">
                holdout recall@10 {fmtNum(current.before['recall@10'], 3)} → {fmtNum(current.after['recall@10'], 3)} · MRR {fmtNum(current.before.mrr, 3)} →{' '}
                {fmtNum(current.after.mrr, 3)}
              </span>
            )}
          </div>
          <HostErrorBox error={map.error} what="The Thought-Space map" methods={['space.map']} />
          {map.data && (
            <div className="view-cols" data-testid="map-charts">
              {(['before', 'after'] as const).map((when) => (
                <div key={when} className="card chart-card" data-testid={`map-${when}`}>
                  <h2>
                    {when === 'before' ? 'Before training' : 'After training'}{' '}
                    <span className="muted small">
                      (PCA, {(map.data!.explained[when][0] * 100).toFixed(0)}% + {(map.data!.explained[when][1] * 100).toFixed(0)}% explained)
                    </span>
                  </h2>
                  <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
                    <Chart
                      traces={mapTraces(map.data![when], colour)}
                      xTitle="PC 1"
                      yTitle="PC 2"
                      label={`Map ${when} training`}
                      onClick={onPoint}
                      height={420}
                    />
                  </Suspense>
                </div>
              ))}
            </div>
          )}
          <p className="muted small">Click a point to open that user's rationale.</p>
        </section>
      )}
    </div>
  );
}

function mapTraces(points: SpaceMapPoint[], by: ColourBy): ChartTrace[] {
  const groups = new Map<string, SpaceMapPoint[]>();
  for (const p of points) {
    const k = by === 'kind' ? p.kind : by === 'split' ? p.split : `${p.kind} · ${p.split}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  return [...groups.keys()].sort().map((k, i) => {
    const ps = groups.get(k)!;
    return {
      name: k,
      x: ps.map((p) => p.x),
      y: ps.map((p) => p.y),
      mode: 'markers',
      color: i,
      markerSize: 7,
      symbol: by === 'split' ? 'circle' : k.startsWith('rationale') ? 'diamond' : 'circle',
      customdata: ps,
      text: ps.map((p) => `user ${p.userOriginalId} (#${p.userIdx}) · ${p.kind} · ${p.split}`),
    };
  });
}

function TrainSpace() {
  const s = useServices();
  const [dataset, setDataset] = usePersistentState('space.train.dataset', '');
  const [encoder, setEncoder] = usePersistentState('space.train.encoder', 'tfidf');
  const [epochs, setEpochs] = usePersistentState('space.train.epochs', 20);
  const [jobId, setJobId] = usePersistentState<number | null>('space.train.job', null);
  const [error, setError] = useState<Error | null>(null);
  const job = useJob(jobId);
  const start = async () => {
    setError(null);
    try {
      const r = await s.api.call('space.train', { dataset, encoder: encoder.trim(), epochs });
      setJobId(r.jobId);
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <details className="section">
      <summary>Train a Thought Space</summary>
      <div className="form-grid">
        <label className="field" title="Dataset whose users' behaviour and rationales are aligned">
          <span className="field-title">Dataset</span>
          <DatasetSelect value={dataset} onChange={setDataset} />
        </label>
        <label className="field" title="Text encoder: tfidf, gguf:PATH (an embedding GGUF) or onnx:DIR">
          <span className="field-title">Encoder</span>
          <input className="input mono" aria-label="Encoder" value={encoder} onChange={(e) => setEncoder(e.target.value)} />
        </label>
        <label className="field" title="Training epochs of the two towers">
          <span className="field-title">Epochs</span>
          <NumberInput schema={SpaceTrainInput.shape.epochs} aria-label="Space epochs" value={epochs} onChange={setEpochs} />
        </label>
      </div>
      <button className="button" disabled={!dataset || !encoder.trim()} onClick={() => void start()}>
        Train Space
      </button>
      <HostErrorBox error={error} what="Thought-Space training" methods={['space.train']} />
      {job && <JobStatus job={job} label="Space training progress" />}
    </details>
  );
}
