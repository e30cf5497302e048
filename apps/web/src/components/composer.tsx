import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

interface Props {
  peerName: string;
  onSend: (text: string) => void;
  /**
   * Why nothing can be sent now (the box and Send are disabled and this sentence says why); null
   * when sending works.
   */
  blocked?: string | null;
}

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ peerName, onSend, blocked = null }: Props) {
  const [text, setText] = useState('');
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const empty = text.trim() === '';

  function send() {
    if (empty || blocked) return;
    onSend(text.trim());
    setText('');
    inputRef.current?.focus();
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // While an input method is composing, Enter confirms the composition instead.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form className={blocked ? 'composer blocked' : 'composer'} onSubmit={onSubmit}>
      {blocked && (
        <p className="composer-blocked" id={`${id}-blocked`}>
          {blocked}
        </p>
      )}
      <label htmlFor={id} className="sr-only">
        Message
      </label>
      <textarea
        id={id}
        ref={inputRef}
        className="composer-input"
        rows={1}
        placeholder={`Message ${peerName}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
        enterKeyHint="send"
        disabled={blocked !== null}
        aria-describedby={blocked ? `${id}-blocked` : undefined}
      />
      <button
        type="submit"
        className="button primary send-button"
        disabled={empty || blocked !== null}
      >
        Send
      </button>
    </form>
  );
}
