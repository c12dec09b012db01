import { useState } from 'react';
import { RefineRunInput, type RefineTree, type TreeNode } from '../../../common/contract';
import { useCall, useJob, useJobsFinished } from '../../ui/host';
import { JobStatus } from '../../ui/JobStatus';
import { NumberInput } from '../../ui/NumberInput';
import { usePersistentState } from '../../ui/persist';
import { DatasetSelect, ModelInput, UserPicker } from '../../ui/pickers';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { openRationale, openWinnerInReview } from './commands';

/** Tree-of-Thought refinement of one user's rationale: every chain with its score, the winner highlighted. */
export function TreeEditor() {
  const s = useServices();
  const [dataset, setDataset] = usePersistentState('reasoning.tree.dataset', '');
  const [user, setUser] = usePersistentState<number | null>('reasoning.tree.user', null);
  const [model, setModel] = usePersistentState('shared.model', '');
  const [space, setSpace] = usePersistentState('reasoning.tree.space', '');
  const [depth, setDepth] = usePersistentState('reasoning.tree.depth', 3);
  const [branching, setBranching] = usePersistentState('reasoning.tree.branching', 3);
  const [beam, setBeam] = usePersistentState('reasoning.tree.beam', 2);
  const [jobId, setJobId] = usePersistentState<number | null>('reasoning.tree.job', null);
  const [error, setError] = useState<Error | null>(null);
  const job = useJob(jobId);
  const finished = useJobsFinished(['rationales.refine']);
  const tree = useCall('refine.tree', dataset && user !== null ? { dataset, user } : null, finished);

  const start = async () => {
    setError(null);
    try {
      const r = await s.api.call('refine.run', { dataset, model: model.trim(), space: space.trim(), users: 1, depth, branching, beam });
      setJobId(r.jobId);
    } catch (err) {
      setError(err as Error);
    }
  };

  return (
    <div className="editor-page reasoning-tree" data-testid="reasoning-tree">
      <header className="page-header">
        <h1>Refinement Tree</h1>
      </header>
      <section className="section">
        <div className="form-grid">
          <label className="field">
            <span className="field-title">Dataset</span>
            <DatasetSelect
              value={dataset}
              onChange={(v) => {
                if (v !== dataset) setUser(null);
                setDataset(v);
              }}
            />
          </label>
          <label className="field">
            <span className="field-title">User</span>
            <UserPicker dataset={dataset} value={user} onChange={setUser} />
          </label>
        </div>
        <details>
          <summary>Run a refinement</summary>
          <div className="form-grid">
            <label className="field">
              <span className="field-title">Model</span>
              <ModelInput value={model} onChange={setModel} />
            </label>
            <label className="field" title="A trained Thought Space (name or id): chains are scored by cosine to the user's behaviour in it">
              <span className="field-title">Thought Space</span>
              <input className="input" aria-label="Space" value={space} onChange={(e) => setSpace(e.target.value)} />
            </label>
            <NumberField label="Depth" title="Reasoning steps per chain" schema={RefineRunInput.shape.depth} value={depth} onChange={setDepth} />
            <NumberField
              label="Branching"
              title="Continuations tried per kept node"
              schema={RefineRunInput.shape.branching}
              value={branching}
              onChange={setBranching}
            />
            <NumberField label="Beam" title="Nodes kept at each depth" schema={RefineRunInput.shape.beam} value={beam} onChange={setBeam} />
          </div>
          <button className="button" disabled={!dataset || !model.trim() || !space.trim()} onClick={() => void start()}>
            Refine
          </button>
          <HostErrorBox error={error} what="Tree-of-Thought refinement" methods={['refine.run']} />
          {job && <JobStatus job={job} label="Refinement progress" />}
        </details>
      </section>
      {user !== null && !tree.loading && tree.data === null && !tree.error ? (
        <div className="empty-state" data-testid="no-tree">
          No refinement for this user yet: run one above.
        </div>
      ) : (
        <HostErrorBox error={tree.error} what="The refinement tree" methods={['refine.tree']} />
      )}
      {tree.data && (
        <TreeView
          tree={tree.data}
          onOpenWinner={() => {
            const ref = { dataset: tree.data!.dataset, user: tree.data!.userIdx, versionId: tree.data!.rationaleVersionId, text: tree.data!.rationale };
            openWinnerInReview(s, ref).catch(() => openRationale(s, ref));
          }}
        />
      )}
    </div>
  );
}

/** A labelled number field bounded by the contract's schema. */
function NumberField({
  label,
  title,
  schema,
  value,
  onChange,
}: {
  label: string;
  title: string;
  schema: unknown;
  value: number;
  onChange: (v: number) => void;
}) {
  return (
    <label className="field" title={title}>
      <span className="field-title">{label}</span>
      <NumberInput schema={schema} aria-label={label} value={value} onChange={onChange} />
    </label>
  );
}

/** The chains (root to leaf) best first, then the whole tree indented by depth. */
export function TreeView({ tree, onOpenWinner }: { tree: RefineTree; onOpenWinner: () => void }) {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const children = new Map<number | null, TreeNode[]>();
  for (const n of tree.nodes) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  const winners = new Set(tree.bestChain);
  const leaves = tree.nodes.filter((n) => !children.get(n.id)?.length).sort((a, b) => b.score - a.score);
  const chainOf = (n: TreeNode): TreeNode[] => {
    const out: TreeNode[] = [];
    for (let c: TreeNode | undefined = n; c; c = c.parent === null ? undefined : byId.get(c.parent)) out.unshift(c);
    return out;
  };
  const render = (parent: number | null): React.ReactNode =>
    (children.get(parent) ?? [])
      .sort((a, b) => b.score - a.score)
      .map((n) => (
        <li key={n.id}>
          <div
            className={`tree-node${n.kept ? ' kept' : ''}${winners.has(n.id) ? ' winner' : ''}`}
            data-node={n.id}
            data-winner={winners.has(n.id) || undefined}
          >
            <span className="score">{n.score.toFixed(3)}</span>
            <span className="prewrap">{n.step}</span>
            {!n.kept && <span className="muted small">pruned</span>}
          </div>
          {children.get(n.id)?.length ? <ul>{render(n.id)}</ul> : null}
        </li>
      ));
  return (
    <div className="tree-view" data-testid="tree-view">
      <section className="section">
        <div className="row">
          <h2>
            User #{tree.userIdx} · run {tree.runId} · best score {tree.bestScore.toFixed(3)}
          </h2>
          <span className="spacer" />
          <button className="button" onClick={onOpenWinner} data-testid="open-winner">
            Open Winner
          </button>
        </div>
        <div className="chain winner" data-testid="winner">
          <div className="muted small">Winning rationale</div>
          <div className="prewrap">{tree.rationale}</div>
        </div>
      </section>
      <section className="section">
        <h2>Chains ({leaves.length})</h2>
        {leaves.map((leaf) => {
          const chain = chainOf(leaf);
          const win = winners.has(leaf.id);
          return (
            <div key={leaf.id} className={`chain${win ? ' winner' : ''}`} data-chain={leaf.id}>
              <div className="muted small">
                score {leaf.score.toFixed(3)} {win && <strong className="em-1">winner</strong>}
              </div>
              <ol>
                {chain.map((n) => (
                  <li key={n.id} className="prewrap">
                    {n.step} <span className="muted small">({n.score.toFixed(3)})</span>
                  </li>
                ))}
              </ol>
            </div>
          );
        })}
      </section>
      <section className="section tree">
        <h2>Tree</h2>
        <ul>{render(null)}</ul>
      </section>
    </div>
  );
}
