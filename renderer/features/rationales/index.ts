import { lazy } from 'react';
import { DisposableStore } from '../../../common/event';
import './review.css';
import { RationalesIcon } from '../../ui/icons';
import type { Feature } from '../feature';
import { BulkEditor } from './BulkEditor';
import { rationaleCommands } from './commands';
import { RationalesSideBar } from './RationalesSideBar';
import { reviewController } from './review-controller';

// Monaco is large: the review editor loads it when first opened.
const ReviewEditor = lazy(() => import('./ReviewEditor'));

/** Rationales: review one record at a time (keyboard first) and all of them in a bulk table. docs/review.md */
export const rationales: Feature = {
  id: 'rationales',
  title: 'Rationales',
  icon: RationalesIcon,
  SideBar: RationalesSideBar,
  editors: { review: ReviewEditor, 'rationales.bulk': BulkEditor },
  commands: rationaleCommands,
  activate: (s) => {
    const store = new DisposableStore();
    const ctl = store.add(reviewController(s));
    ctl.loadConfig().catch(() => undefined);
    // A new workspace has its own keybindings file and guidelines.
    store.add(
      s.api.onDidEmit((e) => {
        if (e.topic === 'workspace') ctl.loadConfig().catch(() => undefined);
      }),
    );
    return store;
  },
};
