import type { ComponentType } from 'react';
import type { IDisposable } from '../../common/event';
import type { Command } from '../commands/registry';
import type { EditorInput } from '../services/editors';
import type { Services } from '../workbench/services';

export interface EditorProps {
  input: EditorInput;
}

/**
 * What any feature contributes to the workbench: editors it can open, commands, and listeners wired while the
 * workbench runs. One folder under renderer/features/<name>/ (named as the host's main/features/<name>/ and the
 * contract's common/contract/<name>.ts) exporting one of these, plus one line in features/index.ts.
 */
export interface Contribution {
  id: string;
  editors?: Record<string, ComponentType<EditorProps>>;
  commands?: (s: Services) => Command[];
  /** Wires event listeners once the workbench starts; disposing the result unwires them. */
  activate?: (s: Services) => IDisposable;
}

/** A feature with a view of its own: an activity bar icon and a side bar, besides its editors and commands. */
export interface Feature extends Contribution {
  title: string;
  icon: ComponentType;
  /** Alt+<n> shows the view; the activity bar lists features in registry order. */
  SideBar: ComponentType;
  /** Pinned to the bottom of the activity bar (Settings). */
  bottom?: boolean;
}
