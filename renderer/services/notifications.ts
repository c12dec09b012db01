import type { ErrorPayload } from '../../common/contract';
import { toPayload } from '../api/host-error';
import { Store } from '../state/store';

export interface Notification {
  id: number;
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** Present for host errors: where it went wrong and what to do. */
  detail?: ErrorPayload;
  actions?: { label: string; run: () => void }[];
}

/** Toasts in the bottom-right corner. Errors stay until closed; info fades after a few seconds. */
export class NotificationService {
  readonly items = new Store<Notification[]>([]);
  private nextId = 1;

  notify(n: Omit<Notification, 'id'>): number {
    const id = this.nextId++;
    this.items.set((list) => [...list.slice(-4), { ...n, id }]);
    if (n.severity === 'info') setTimeout(() => this.dismiss(id), 5000);
    return id;
  }

  info(message: string, actions?: Notification['actions']): number {
    return this.notify({ severity: 'info', message, actions });
  }

  error(err: unknown): number {
    const detail = toPayload(err);
    return this.notify({ severity: 'error', message: detail.message, detail });
  }

  dismiss(id: number): void {
    this.items.set((list) => list.filter((n) => n.id !== id));
  }

  clear(): void {
    this.items.set([]);
  }
}
