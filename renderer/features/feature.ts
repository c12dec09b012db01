import type { ComponentType } from 'react';
import type { IDisposable } from '../../common/event';
import type { Command } from '../commands/registry';
import type { EditorInput } from '../services/editors';
import type { Services } from '../workbench/services';

export interface EditorProps {
  input: EditorInput;
}

/**
 * A workbench feature: one folder under renderer/features/<name>/ exporting one of these, plus one line in
 * features/index.ts. It brings a view (activity bar icon + side bar), editors it can open, and commands.
 */
export interface Feature {
  id: string;
  title: string;
  icon: ComponentType;
  /** Alt+<n> shows the view; the activity bar lists features in registry order. */
  SideBar: ComponentType;
  editors?: Record<string, ComponentType<EditorProps>>;
  commands?: (s: Services) => Command[];
  /** Wires event listeners once the workbench starts; disposing the result unwires them. */
  activate?: (s: Services) => IDisposable;
  /** Pinned to the bottom of the activity bar (Settings). */
  bottom?: boolean;
}
