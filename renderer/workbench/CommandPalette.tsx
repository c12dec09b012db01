import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { fuzzyMatch } from '../commands/fuzzy';
import { KeybindingLabel } from '../commands/keybinding-label';
import { commandLabel, type Command } from '../commands/registry';
import { useStore } from '../state/store';
import { useServices } from './services';

interface Entry {
  cmd: Command;
  label: string;
  score: number;
  indices: number[];
  recent: boolean;
}

/** Ctrl+Shift+P: every command, fuzzy filtered, recently used first, keybindings on the right. */
export function CommandPalette() {
  const s = useServices();
  const open = useStore(s.layout.state).paletteOpen;
  if (!open) return null;
  return <PaletteBody />;
}

function PaletteBody() {
  const s = useServices();
  const cmds = useStore(s.commands.commands);
  const recent = useStore(s.commands.recent);
  const [query, setQuery] = useState('');
  const [sel, setSel] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const restoreFocus = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    input.current?.focus();
    const el = restoreFocus.current;
    return () => {
      if (el instanceof HTMLElement) el.focus();
    };
  }, []);

  const entries = useMemo<Entry[]>(() => {
    const out: Entry[] = [];
    for (const cmd of cmds.values()) {
      if (cmd.when && !cmd.when()) continue;
      const label = commandLabel(cmd);
      const m = fuzzyMatch(query, label);
      if (m) out.push({ cmd, label, score: m.score, indices: m.indices, recent: recent.includes(cmd.id) });
    }
    return out.sort((a, b) => {
      if (!query) {
        const ra = recent.indexOf(a.cmd.id);
        const rb = recent.indexOf(b.cmd.id);
        if (ra !== rb) return ra === -1 ? 1 : rb === -1 ? -1 : ra - rb;
        return a.label.localeCompare(b.label);
      }
      return b.score - a.score || a.label.localeCompare(b.label);
    });
  }, [cmds, query, recent]);

  useEffect(() => setSel(0), [query]);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [sel]);

  const close = () => s.layout.setPalette(false);
  const runEntry = (e: Entry | undefined) => {
    if (!e) return;
    close();
    // After the palette unmounts, so focus-dependent commands see the previous element.
    setTimeout(() => void s.commands.run(e.cmd.id), 0);
  };

  /** Arrow keys, Enter and Escape, from the input or from the list (which the keyboard can also focus and scroll). */
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setSel((i) => Math.min(entries.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setSel((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      runEntry(entries[sel]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };

  return (
    <div className="overlay" onMouseDown={close}>
      <div className="quick-input" role="dialog" aria-label="Command Palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          className="quick-input-box"
          placeholder="Type the name of a command to run"
          aria-label="Command"
          aria-controls="palette-list"
          aria-activedescendant={entries[sel] ? `palette-${entries[sel].cmd.id}` : undefined}
          value={query}
          onChange={(e) => setQuery(e.target.value.replace(/^>\s*/, ''))}
          onKeyDown={onKey}
        />
        <ul className="quick-input-list" role="listbox" id="palette-list" aria-label="Commands" tabIndex={0} onKeyDown={onKey} ref={list}>
          {entries.length === 0 && (
            <li className="quick-input-empty" role="option" aria-selected={false} aria-disabled="true">
              No matching commands
            </li>
          )}
          {entries.map((e, i) => (
            <li
              key={e.cmd.id}
              id={`palette-${e.cmd.id}`}
              role="option"
              aria-selected={i === sel}
              className={`quick-input-item${i === sel ? ' selected' : ''}`}
              data-command-id={e.cmd.id}
              onMouseMove={() => setSel(i)}
              onClick={() => runEntry(e)}
            >
              <span className="quick-input-label">
                <Highlighted text={e.label} indices={e.indices} />
              </span>
              {e.recent && !query && <span className="muted small">recently used</span>}
              <KeybindingLabel keybinding={e.cmd.keybinding} />
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function Highlighted({ text, indices }: { text: string; indices: number[] }) {
  if (indices.length === 0) return <>{text}</>;
  const set = new Set(indices);
  const parts: { s: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const hit = set.has(i);
    const last = parts[parts.length - 1];
    if (last && last.hit === hit) last.s += text[i];
    else parts.push({ s: text[i]!, hit });
  }
  return <>{parts.map((p, i) => (p.hit ? <mark key={i}>{p.s}</mark> : <span key={i}>{p.s}</span>))}</>;
}
