/** Line icons drawn in the codicon manner (16px grid, currentColor) so they follow the theme. */
import type { ReactNode } from 'react';

function Icon({ children, size = 16, title }: { children: ReactNode; size?: number; title?: string }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
    >
      {title ? <title>{title}</title> : null}
      {children}
    </svg>
  );
}

const big = (children: ReactNode) => () => <Icon size={24}>{children}</Icon>;

export const DatasetsIcon = big(
  <>
    <ellipse cx="8" cy="3.5" rx="5.5" ry="2" />
    <path d="M2.5 3.5v9c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2v-9" />
    <path d="M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2" />
  </>,
);
export const RationalesIcon = big(
  <>
    <path d="M2 3.5h12v7H8l-3 2.5v-2.5H2z" />
    <path d="M5 6h6M5 8h4" />
  </>,
);
export const TrainingIcon = big(
  <>
    <path d="M1.5 14.5h13M1.5 14.5V1.5" />
    <path d="M3 11.5l3-4 2.5 2 5-6.5" />
  </>,
);
export const ReasoningIcon = big(
  <>
    <circle cx="6.5" cy="6.5" r="4.5" />
    <path d="M10 10l4.5 4.5M4.5 6.5h4M6.5 4.5v4" />
  </>,
);
export const ModelsIcon = big(
  <>
    <path d="M8 1.5l6 3.25v6.5L8 14.5l-6-3.25v-6.5z" />
    <path d="M2 4.75l6 3.25 6-3.25M8 8v6.5" />
  </>,
);
export const SettingsIcon = big(
  <>
    <circle cx="8" cy="8" r="2.2" />
    <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
  </>,
);

export const CloseIcon = () => (
  <Icon>
    <path d="M4 4l8 8M12 4l-8 8" />
  </Icon>
);
export const RefreshIcon = () => (
  <Icon>
    <path d="M13 3v3.5H9.5" />
    <path d="M12.6 6.5A5 5 0 1 0 13 10" />
  </Icon>
);
export const AddIcon = () => (
  <Icon>
    <path d="M8 3v10M3 8h10" />
  </Icon>
);
export const TrashIcon = () => (
  <Icon>
    <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 9h5.8l.6-9" />
  </Icon>
);
export const EditIcon = () => (
  <Icon>
    <path d="M10.5 2.5l3 3L6 13H3v-3z" />
  </Icon>
);
export const StopIcon = () => (
  <Icon>
    <rect x="4" y="4" width="8" height="8" rx="1" />
  </Icon>
);
export const PlayIcon = () => (
  <Icon>
    <path d="M5 3l8 5-8 5z" />
  </Icon>
);
export const ErrorIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="6" />
    <path d="M6 6l4 4M10 6l-4 4" />
  </Icon>
);
export const InfoIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 7.5V11M8 5v.5" />
  </Icon>
);
export const WarningIcon = () => (
  <Icon>
    <path d="M8 2l6.5 11.5h-13z" />
    <path d="M8 6.5v3M8 11.5v.3" />
  </Icon>
);
export const FileIcon = () => (
  <Icon>
    <path d="M4 1.5h5.5l3 3v10H4z" />
    <path d="M9.5 1.5v3h3" />
  </Icon>
);
export const ChartIcon = () => (
  <Icon>
    <path d="M2 14h12M4 12V8M7 12V4M10 12V7M13 12V10" />
  </Icon>
);
export const BellIcon = () => (
  <Icon>
    <path d="M4 11V7a4 4 0 0 1 8 0v4l1 1.5H3z" />
    <path d="M6.5 14h3" />
  </Icon>
);
export const SyncIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="5.5" strokeDasharray="3 2" />
  </Icon>
);
export const ThemeIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="5.5" />
    <path d="M8 2.5a5.5 5.5 0 0 1 0 11z" fill="currentColor" />
  </Icon>
);
export const FolderIcon = () => (
  <Icon>
    <path d="M1.5 3.5h5l1.5 1.5h6.5v8h-13z" />
  </Icon>
);
