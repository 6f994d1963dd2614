/**
 * The shell: sign-in, the navigation the caller's role may use, the language switcher, the live
 * status, and the current screen. Screens the role may not use are neither linked nor shown.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrf, setOnUnauthorized } from './api/client.js';
import { connectEvents, disconnectEvents, useLiveStatus } from './api/events.js';
import type { Permission, Session } from './api/types.js';
import {
  I18nContext,
  i18nFor,
  initialLang,
  LANG_NAMES,
  LANGS,
  type Lang,
  type UiKey,
  useI18n,
} from './i18n/index.js';
import { Agreements } from './screens/agreements/index.js';
import { Compliance } from './screens/compliance/index.js';
import { Dashboard } from './screens/dashboard/index.js';
import { Directory } from './screens/directory/index.js';
import { Hotline } from './screens/hotline/index.js';
import { Intel } from './screens/intel/index.js';
import { Ledger } from './screens/ledger/index.js';
import { SignIn } from './screens/signin/index.js';
import { SessionContext, useCan, useSession } from './session.js';
import { href, useRoute } from './ui/route.js';

interface ScreenDef {
  id: string;
  label: UiKey;
  needs: Permission;
  view: () => preact.JSX.Element;
}

export const SCREENS: ScreenDef[] = [
  { id: 'dashboard', label: 'nav.dashboard', needs: 'overview', view: () => <Dashboard /> },
  { id: 'hotline', label: 'nav.hotline', needs: 'hotline.read', view: () => <Hotline /> },
  { id: 'directory', label: 'nav.directory', needs: 'overview', view: () => <Directory /> },
  { id: 'agreements', label: 'nav.agreements', needs: 'overview', view: () => <Agreements /> },
  { id: 'intel', label: 'nav.intel', needs: 'intel.read', view: () => <Intel /> },
  { id: 'ledger', label: 'nav.ledger', needs: 'overview', view: () => <Ledger /> },
  { id: 'compliance', label: 'nav.compliance', needs: 'compliance.read', view: () => <Compliance /> },
];

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const setLang = (l: Lang) => {
    localStorage.setItem('parley.lang', l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : lang;
  }, [lang]);
  useEffect(() => {
    setOnUnauthorized(() => setSession(null));
    api<Session>('GET', 'session').then(setSession, () => setSession(null));
  }, []);
  useEffect(() => {
    setCsrf(session?.csrf ?? null);
    const hotline = !!session && (session.roles.includes('admin') || session.can['hotline.read'] === true);
    if (hotline) connectEvents();
    else disconnectEvents();
  }, [session]);

  const i18n = i18nFor(lang, setLang);
  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={session ?? null}>
        {session === undefined ? (
          <p aria-busy="true">{i18n.t('app.loading')}</p>
        ) : session === null ? (
          <SignIn onSignedIn={setSession} />
        ) : (
          <Shell onSignOut={() => setSession(null)} />
        )}
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label class="lang">
      {t('app.language')}{' '}
      <select value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)} id="lang">
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const { t } = useI18n();
  const can = useCan();
  const route = useRoute();
  const live = useLiveStatus();
  const session = useSession();
  const allowed = SCREENS.filter((s) => can(s.needs));
  const current = allowed.find((s) => s.id === route.screen) ?? allowed[0];
  useEffect(() => {
    if (current) document.title = `${t(current.label)} · parley`;
  }, [current, t]);
  const signOut = async () => {
    await api('DELETE', 'session').catch(() => {});
    onSignOut();
  };
  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <strong class="brand">parley</strong>
        <span class="node">{t('app.node', { node: session.node.id, party: session.node.party })}</span>
        <span class={live ? 'live on' : 'live'} role="status">
          {can('hotline.read') ? (live ? t('app.live') : t('app.offline')) : ''}
        </span>
        <LangSwitch />
        <span class="who">
          {t('app.signed_in_as', { user: session.user, roles: session.roles.join(', ') })}
        </span>
        <button type="button" onClick={signOut}>
          {t('signin.out')}
        </button>
      </header>
      <nav aria-label={t('app.main_nav')} class="nav">
        <ul>
          {allowed.map((s) => (
            <li key={s.id}>
              <a href={href(s.id)} aria-current={s === current ? 'page' : undefined} data-screen={s.id}>
                {t(s.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p class="legend">
        <span class="badge exercise">{t('exercise.badge')}</span> {t('exercise.banner')}
      </p>
      <main id="main" tabIndex={-1}>
        {current ? current.view() : <p>{t('role.forbidden')}</p>}
      </main>
    </>
  );
}
