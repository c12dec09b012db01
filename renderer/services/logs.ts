import type { LogLine } from '../../common/contract';
import type { ClientApi } from '../api/client';
import { Store } from '../state/store';

const MAX = 2000;

/** The Output panel's lines: logs.tail on start and after reconnect, then `log` events. */
export class LogService {
  readonly lines = new Store<LogLine[]>([]);
  constructor(private readonly api: ClientApi) {}

  async refresh(): Promise<void> {
    const { lines } = await this.api.call('logs.tail', { limit: 1000 });
    this.lines.set(lines);
  }

  append(line: LogLine): void {
    this.lines.set((l) => (l.length >= MAX ? [...l.slice(-MAX + 1), line] : [...l, line]));
  }

  /** Clears the view only; the host keeps its log. */
  clear(): void {
    this.lines.set([]);
  }
}
