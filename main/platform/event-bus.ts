import type { HostEvent, LogLine } from '../../common/contract/index.js';
import { Emitter, type Event } from '../../common/event.js';

/** The host's one event stream; doors forward it to windows. Subscriptions are disposables (common/event.ts). */
export class EventBus {
  private readonly emitter = new Emitter<HostEvent>();
  private logRing: LogLine[] = [];

  /** Every host event: jobs, job events, log lines, workspace and dataset changes. */
  readonly onDidEmit: Event<HostEvent> = this.emitter.event;

  emit(event: HostEvent): void {
    this.emitter.fire(event);
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
