import { JobEditor } from '../workbench/JobEditor';
import { datasets } from './datasets';
import type { Contribution, EditorProps, Feature } from './feature';
import { models } from './models';
import { reasoning } from './reasoning';
import { rationales } from './rationales';
import { settings } from './settings';
import { space } from './space';
import { training } from './training';
import type { ComponentType } from 'react';

/** The views, in activity bar order. Adding a view: a folder under features/ and one line here. */
export const FEATURES: Feature[] = [datasets, rationales, training, reasoning, models, settings];

/** Every feature: those with a view, and those that contribute editors and commands only (the Thought-Space map). */
export const CONTRIBUTIONS: Contribution[] = [...FEATURES, space];

/** Editor kinds: the workbench's own plus every feature's. */
export const EDITORS: Record<string, ComponentType<EditorProps>> = Object.assign({ job: JobEditor }, ...CONTRIBUTIONS.map((f) => f.editors ?? {}));
