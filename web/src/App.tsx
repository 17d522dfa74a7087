/** The shell: who is signed in, the navigation, and the page for the current path. */
import { useEffect, useState } from 'react';
import { api, ApiError, setCsrf, type Session } from './api';
import { navigate, useLocation } from './router';
import { ErrorBox, Link, Loading } from './ui';
import { SignIn } from './pages/SignIn';
import { OverviewPage } from './pages/Overview';
import { ImagePage } from './pages/Image';
import { DiffPage } from './pages/Diff';
import { UsersPage } from './pages/Users';
import { TokensPage } from './pages/Tokens';
import { SecurityPage } from './pages/Security';
import { AuditPage } from './pages/Audit';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>();
  const { path, query } = useLocation();

  useEffect(() => {
    api<Session>('GET', '/session').then(
      (s) => {
        setCsrf(s.csrfToken);
        setSession(s);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setSession(null);
        else setError(e);
      },
    );
  }, []);

  // a page title per path, so each page is announced and tabs are told apart
  useEffect(() => {
    const name = pageName(path);
    document.title = name ? `${name} · bulwark` : 'bulwark';
  }, [path]);

  if (error) return <ErrorBox error={error} />;
  // the overview and image pages need no session to start loading: their requests go out beside
  // the session check (a first load is one round trip shorter), and a 401 ends in the sign-in page
  const early = path === '/' || path.startsWith('/images/');
  if (session === undefined && !early) return <Loading what="the session" />;
  if (session === null)
    return (
      <SignIn
        onSignedIn={(s) => {
          setCsrf(s.csrfToken);
          setSession(s);
          if (path === '/sign-in') navigate('/');
        }}
      />
    );

  async function signOut() {
    await api('DELETE', '/session').catch(() => undefined);
    setCsrf(null);
    setSession(null);
    navigate('/');
  }

  const admin = session?.user.role === 'admin';
  const nav: [string, string][] = [
    ['/', 'Overview'],
    ['/tokens', 'API tokens'],
    ['/security', 'Two-factor'],
    ...(admin
      ? ([
          ['/admin/users', 'Users'],
          ['/admin/audit', 'Audit log'],
        ] as [string, string][])
      : []),
  ];
  const current = (to: string) =>
    to === '/' ? path === '/' || path.startsWith('/images') : path.startsWith(to);

  return (
    <>
      <a href="#main" className="skip">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">bulwark</span>
        <nav aria-label="Main">
          <ul>
            {nav.map(([to, label]) => (
              <li key={to}>
                <Link to={to} current={current(to)}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {session && (
          <span className="who">
            {session.user.username} ({session.user.role})
            <button type="button" className="secondary" onClick={signOut}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} query={query} session={session} />
      </main>
    </>
  );
}

function pageName(path: string): string {
  if (path === '/') return 'Overview';
  if (/^\/images\/\d+\/diff/.test(path)) return 'Scan diff';
  if (path.startsWith('/images/')) return 'Image';
  if (path === '/tokens') return 'API tokens';
  if (path === '/security') return 'Two-factor authentication';
  if (path === '/admin/users') return 'Users';
  if (path === '/admin/audit') return 'Audit log';
  return '';
}

function Page({
  path,
  query,
  session,
}: {
  path: string;
  query: URLSearchParams;
  session: Session | undefined;
}) {
  let m: RegExpExecArray | null;
  if (path === '/') return <OverviewPage query={query} />;
  if ((m = /^\/images\/(\d+)\/diff$/.exec(path))) return <DiffPage imageId={Number(m[1])} query={query} />;
  if ((m = /^\/images\/(\d+)$/.exec(path))) return <ImagePage imageId={Number(m[1])} query={query} />;
  if (!session) return <Loading what="the session" />;
  if (path === '/tokens') return <TokensPage session={session} />;
  if (path === '/security') return <SecurityPage session={session} />;
  if (path === '/admin/users' && session.user.role === 'admin') return <UsersPage session={session} />;
  if (path === '/admin/audit' && session.user.role === 'admin') return <AuditPage query={query} />;
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Go to the overview</Link>.
      </p>
    </>
  );
}
