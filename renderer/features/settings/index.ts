import { SettingsIcon } from '../../ui/icons';
import type { Feature } from '../feature';
import { SettingsView } from './SettingsView';

export const settings: Feature = { id: 'settings', title: 'Settings', icon: SettingsIcon, SideBar: SettingsView, bottom: true };
