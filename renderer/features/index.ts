import { JobEditor } from '../workbench/JobEditor';
import { datasets } from './datasets';
import type { EditorProps, Feature } from './feature';
import { models } from './models';
import { probe } from './probe';
import { rationales } from './rationales';
import { settings } from './settings';
import { training } from './training';
import type { ComponentType } from 'react';

/** The views, in activity bar order. Adding a view: a folder under features/ and one line here. */
export const FEATURES: Feature[] = [datasets, rationales, training, probe, models, settings];

/** Editor kinds: the workbench's own plus every feature's. */
export const EDITORS: Record<string, ComponentType<EditorProps>> = Object.assign({ job: JobEditor }, ...FEATURES.map((f) => f.editors ?? {}));
