import type { ComponentType } from 'react';
import type { Feature } from './feature';

/** A view whose feature is still to come: says which issue brings it, so the shell is complete meanwhile. */
export function placeholderFeature(opts: { id: string; title: string; icon: ComponentType; issue: string; what: string }): Feature {
  const SideBar = () => (
    <div className="placeholder" data-placeholder={opts.id}>
      <p>{opts.what}</p>
      <p className="muted">Coming with {opts.issue}.</p>
    </div>
  );
  return { id: opts.id, title: opts.title, icon: opts.icon, SideBar };
}
