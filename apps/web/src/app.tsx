import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { ChatClient } from './client/chat-client.ts';
import { openTabs } from './client/session.ts';
import { OpenElsewhere } from './components/open-elsewhere.tsx';
import { useTabRole } from './hooks/use-tab-role.ts';
import type { Tabs } from './tabs/tabs.ts';
import { LoginPage } from './pages/login-page.tsx';
import { navigate, parseRoute, usePathname } from './router.ts';

// The main page is its own chunk, loaded once someone is signed in.
const MainPage = lazy(() => import('./pages/main-page.tsx'));

type Session =
  | { state: 'loading' }
  | { state: 'signed-out'; notice?: string }
  | { state: 'signed-in'; client: ChatClient };

function Splash() {
  return (
    <main className="splash" aria-busy="true">
      <p>Opening rchat…</p>
    </main>
  );
}

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const [tabs, setTabs] = useState<Tabs | null>(null);
  const role = useTabRole(tabs);
  const route = parseRoute(usePathname());

  useEffect(() => {
    let cancelled = false;
    let off = () => {};
    openTabs().then(
      (t) => {
        if (cancelled) return;
        // Another tab signed in or out: follow it. (A sign-in in this tab moves on by itself, after
        // the recovery key.)
        const follow = () => {
          const client = t.session();
          setSession((s) =>
            client
              ? s.state === 'signed-in' && s.client === client
                ? s
                : { state: 'signed-in', client }
              : s.state === 'signed-in' || s.state === 'loading'
                ? { state: 'signed-out' }
                : s,
          );
        };
        follow();
        off = t.onChange(follow);
        setTabs(t);
      },
      () =>
        !cancelled &&
        setSession({
          state: 'signed-out',
          notice:
            'This browser could not open its local key storage. Log in again; if this keeps happening, allow site data for this page.',
        }),
    );
    return () => {
      cancelled = true;
      off();
    };
  }, []);

  // Unauthenticated visits go to the login page; authenticated ones to the main page.
  useEffect(() => {
    if (session.state === 'signed-out' && route.page !== 'login')
      navigate('/login', { replace: true });
    if (session.state === 'signed-in' && route.page === 'login') navigate('/', { replace: true });
  }, [session.state, route.page]);

  const signedIn = useCallback(
    (client: ChatClient) => setSession({ state: 'signed-in', client }),
    [],
  );
  const signedOut = useCallback(
    (notice?: string) =>
      setSession(notice ? { state: 'signed-out', notice } : { state: 'signed-out' }),
    [],
  );

  if (session.state === 'loading') return <Splash />;
  if (tabs && role === 'elsewhere') return <OpenElsewhere tabs={tabs} />;
  if (session.state === 'signed-out')
    return (
      <LoginPage onSignedIn={signedIn} {...(session.notice ? { notice: session.notice } : {})} />
    );
  return (
    <Suspense fallback={<Splash />}>
      <MainPage
        client={session.client}
        tabs={tabs}
        conversationId={route.page === 'main' ? route.conversationId : null}
        onSignedOut={signedOut}
      />
    </Suspense>
  );
}
