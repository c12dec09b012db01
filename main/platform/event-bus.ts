import type { HostEvent, LogLine } from '../../preload/contract.js';

type Listener = (e: HostEvent) => void;

/** The host's one event stream; doors forward it to windows. Subscriptions are disposable. */
export class EventBus {
  private listeners = new Set<Listener>();
  private logRing: LogLine[] = [];

  onDidEmit(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: HostEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        /* a broken subscriber never breaks the host */
      }
    }
  }

  log(level: LogLine['level'], source: string, message: string): void {
    const line: LogLine = { time: new Date().toISOString(), level, source, message };
    this.logRing.push(line);
    if (this.logRing.length > 5000) this.logRing.splice(0, this.logRing.length - 5000);
    this.emit({ topic: 'log', line });
  }

  recentLogs(limit: number): LogLine[] {
    return this.logRing.slice(-limit);
  }
}
