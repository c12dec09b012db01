import { useState } from 'react';

/** Goes to a user by original id, or by index written as #12. */
export function UserGoTo({ onGo }: { onGo: (user: number | string) => void }) {
  const [text, setText] = useState('');
  const go = () => {
    const t = text.trim();
    if (!t) return;
    const idx = /^#(\d+)$/.exec(t);
    onGo(idx ? Number(idx[1]) : t);
  };
  return (
    <form
      className="row tight"
      onSubmit={(e) => {
        e.preventDefault();
        go();
      }}
    >
      <input
        className="input"
        aria-label="User id or #index"
        placeholder="User id or #index"
        title="An original user id, or a 0-based user index written as #12"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button className="button secondary small" type="submit" disabled={!text.trim()}>
        Show
      </button>
    </form>
  );
}
