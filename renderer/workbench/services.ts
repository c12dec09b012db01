import { createContext, useContext } from 'react';
import type { AppInfo } from '../../common/contract';
import type { z } from 'zod';
import type { ClientApi } from '../api/client';
import { CommandRegistry } from '../commands/registry';
import { DatasetsService } from '../services/datasets';
import { DialogService } from '../services/dialogs';
import { EditorService } from '../services/editors';
import { JobsService } from '../services/jobs';
import { LayoutService } from '../services/layout';
import { LogService } from '../services/logs';
import { NotificationService } from '../services/notifications';
import { SettingsService } from '../services/settings';
import { Store } from '../state/store';

/** Every renderer service, created once per window and handed down by context (VS Code's service collection, small). */
export interface Services {
  api: ClientApi;
  commands: CommandRegistry;
  editors: EditorService;
  jobs: JobsService;
  notifications: NotificationService;
  settings: SettingsService;
  logs: LogService;
  layout: LayoutService;
  dialogs: DialogService;
  datasets: DatasetsService;
  info: Store<z.infer<typeof AppInfo> | null>;
  connected: Store<boolean>;
}

export function createServices(api: ClientApi): Services {
  const notifications = new NotificationService();
  const commands = new CommandRegistry();
  commands.setErrorHandler((err) => notifications.error(err));
  return {
    api,
    commands,
    notifications,
    editors: new EditorService(),
    jobs: new JobsService(api),
    settings: new SettingsService(api),
    logs: new LogService(api),
    layout: new LayoutService(),
    dialogs: new DialogService(),
    datasets: new DatasetsService(api),
    info: new Store<Services['info'] extends Store<infer T> ? T : never>(null),
    connected: new Store(api.door === 'electron'),
  };
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside ServicesContext');
  return s;
}
