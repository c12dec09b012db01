/** A keybinding as the UI shows it: each key in its own <kbd>, alternatives separated. */
export function KeybindingLabel({ keybinding }: { keybinding?: string }) {
  if (!keybinding) return null;
  const alternatives = keybinding.split(/\s*\|\s*/);
  return (
    <span className="keybinding" aria-label={`Keybinding ${alternatives.join(' or ')}`}>
      {alternatives.slice(0, 1).map((alt) => (
        <span key={alt} className="keybinding-chord">
          {alt.split('+').map((k, i) => (
            <kbd key={i}>{k}</kbd>
          ))}
        </span>
      ))}
    </span>
  );
}
