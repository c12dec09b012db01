import type { DatasetSummary } from '../../common/contract';
import type { ClientApi } from '../api/client';
import { Store } from '../state/store';

/** The dataset list, refreshed on `datasets` events and when an import job succeeds. */
export class DatasetsService {
  readonly list = new Store<DatasetSummary[] | null>(null);
  readonly error = new Store<string | null>(null);
  /** Bumped on every refresh so open dataset editors refetch their stats too. */
  readonly version = new Store(0);

  constructor(private readonly api: ClientApi) {}

  async refresh(): Promise<void> {
    try {
      const { datasets } = await this.api.call('datasets.list', {});
      this.list.set(datasets);
      this.error.set(null);
    } catch (err) {
      this.error.set((err as Error).message);
      throw err;
    } finally {
      this.version.set((v) => v + 1);
    }
  }
}
