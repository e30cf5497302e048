import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  USER_SEARCH_MIN_LENGTH,
  type ChatClient,
  type UserSummary,
} from '../client/chat-client.ts';
import { actionErrorText } from '../client/error-text.ts';

const SUGGESTIONS = 8;
const DEBOUNCE_MS = 150;

interface Props {
  client: ChatClient;
  onStart: (peer: { userId: string } | { username: string }) => Promise<void>;
}

/**
 * Search users by username prefix (a combobox with suggestions) and start, or
 * reopen, the conversation with the one chosen.
 */
export function UserSearch({ client, onStart }: Props) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ prefix: string; users: UserSummary[] }>({
    prefix: '',
    users: [],
  });
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<UserSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = useId();
  const listId = `${id}-suggestions`;
  const hintId = `${id}-hint`;

  const prefix = query.trim().toLowerCase();
  // The server takes no shorter prefix: below it, say so instead of asking.
  const tooShort = prefix.length < USER_SEARCH_MIN_LENGTH;
  const suggestions = results.prefix === prefix ? results.users : [];
  useEffect(() => {
    if (tooShort || chosen?.username === prefix) return;
    let current = true;
    const timer = setTimeout(() => {
      client.searchUsers(prefix, SUGGESTIONS + 1).then(
        (users) => {
          if (!current) return;
          setResults({
            prefix,
            users: users.filter((u) => u.id !== client.userId).slice(0, SUGGESTIONS),
          });
          setActive(-1);
          setOpen(true);
        },
        () => current && setResults({ prefix: '', users: [] }),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, prefix, tooShort, chosen]);

  function choose(user: UserSummary) {
    setChosen(user);
    setQuery(user.username);
    setOpen(false);
    setActive(-1);
  }

  async function start(event: FormEvent) {
    event.preventDefault();
    if (!prefix) {
      setError('Type a username to start a conversation.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await onStart(
        chosen && chosen.username === prefix ? { userId: chosen.id } : { username: prefix },
      );
      setQuery('');
      setChosen(null);
      setOpen(false);
    } catch (e) {
      setError(actionErrorText(e));
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const count = suggestions.length;
    if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % count);
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (a <= 0 ? count - 1 : a - 1));
    } else if (event.key === 'Enter' && open && active >= 0) {
      const user = suggestions[active];
      if (user) {
        event.preventDefault();
        choose(user);
      }
    } else if (event.key === 'Escape') {
      setOpen(false);
      setActive(-1);
    }
  }

  const showList = open && !tooShort && chosen?.username !== prefix;
  return (
    <form className="user-search" role="search" onSubmit={(e) => void start(e)}>
      <label htmlFor={id} className="sr-only">
        Search users
      </label>
      <div className="combobox">
        <input
          id={id}
          type="search"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={listId}
          aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
          aria-describedby={prefix !== '' && tooShort ? hintId : undefined}
          placeholder="Search users"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setChosen(null);
            setError('');
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          onFocus={() => setOpen(suggestions.length > 0)}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Matching users"
          className="suggestions"
          hidden={!showList}
        >
          {suggestions.map((u, i) => (
            <li
              key={u.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              // mousedown, not click: it must win over the input's blur.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(u);
              }}
            >
              {u.username}
            </li>
          ))}
          {!tooShort && results.prefix === prefix && suggestions.length === 0 && (
            <li className="no-match" role="presentation">
              No user starts with "{prefix}"
            </li>
          )}
        </ul>
      </div>
      <button type="submit" className="button primary" disabled={busy}>
        Start conversation
      </button>
      {prefix !== '' && tooShort && chosen?.username !== prefix && (
        <p id={hintId} role="status" className="search-hint">
          Type at least {USER_SEARCH_MIN_LENGTH} characters to search
        </p>
      )}
      {error && (
        <p role="alert" className="search-error">
          {error}
        </p>
      )}
    </form>
  );
}
