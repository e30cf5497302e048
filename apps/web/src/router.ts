import { useSyncExternalStore } from 'react';

/**
 * Client routes. API prefixes (/conversations, /users, …) are never used here, so the server can
 * fall back to index.html for these.
 */
export type Route = { page: 'login' } | { page: 'main'; conversationId: string | null };

const CHANGE = 'rchat:navigate';

export function parseRoute(pathname: string): Route {
  if (pathname === '/login') return { page: 'login' };
  const chat = /^\/chat\/([^/]+)$/.exec(pathname);
  return { page: 'main', conversationId: chat?.[1] ? decodeURIComponent(chat[1]) : null };
}

export const conversationPath = (id: string) => `/chat/${encodeURIComponent(id)}`;

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(CHANGE));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

/** The current path; re-renders on navigation (links, back and forward). */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}
