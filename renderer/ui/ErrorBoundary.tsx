import { Component, type ReactNode } from 'react';

/** Keeps a crashing editor or view from taking the whole workbench down. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <div className="empty-state error-text" role="alert">
          This part of the workbench failed: {this.state.error.message}
        </div>
      );
    }
    return this.props.children;
  }
}
