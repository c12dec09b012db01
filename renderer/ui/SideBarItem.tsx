import type { KeyboardEvent, ReactNode } from 'react';

export interface SideBarItemAction {
  /** Accessible name, e.g. "Delete beauty". */
  label: string;
  /** Tooltip, with the key when there is one. */
  title: string;
  icon: ReactNode;
  run: () => void;
}

/**
 * One row of a side bar list: an open button (title line and a line of facts) with its action buttons beside it.
 * Side by side rather than an option with buttons inside, which would nest interactive controls that screen
 * readers cannot reach (axe: nested-interactive).
 */
export function SideBarItem({
  className,
  data,
  selected,
  onOpen,
  openTitle,
  onKeyDown,
  main,
  sub,
  actions = [],
}: {
  /** The list's own class (dataset-item, model-item), for styling and tests. */
  className: string;
  /** data-* attributes of the row (e.g. { 'data-dataset': name }). */
  data?: Record<`data-${string}`, string>;
  selected: boolean;
  onOpen: () => void;
  openTitle?: string;
  onKeyDown?: (e: KeyboardEvent<HTMLButtonElement>) => void;
  main: ReactNode;
  sub: ReactNode;
  actions?: SideBarItemAction[];
}) {
  return (
    <li className={`list-item ${className}${selected ? ' selected' : ''}`} {...data} onClick={onOpen}>
      <button
        type="button"
        className="list-item-open"
        aria-current={selected ? 'true' : undefined}
        title={openTitle}
        onClick={(e) => {
          e.stopPropagation();
          onOpen();
        }}
        onKeyDown={onKeyDown}
      >
        <span className="list-item-main">{main}</span>
        <span className="list-item-sub">{sub}</span>
      </button>
      {actions.length > 0 && (
        <div className="list-item-actions">
          {actions.map((a) => (
            <button
              key={a.label}
              className="icon-button"
              title={a.title}
              aria-label={a.label}
              onClick={(e) => {
                e.stopPropagation();
                a.run();
              }}
            >
              {a.icon}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
