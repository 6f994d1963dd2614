/** Sign-in with one of the node's accounts (`parley user add`); the session is a cookie. */
import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { Session } from '../../api/types.js';
import { LangSwitch } from '../../app.js';
import { useI18n } from '../../i18n/index.js';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t } = useI18n();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api<Session>('POST', 'session', { body: { user, password } }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <h1>parley</h1>
      <LangSwitch />
      <form onSubmit={submit} class="card">
        <h2>{t('signin.title')}</h2>
        <label for="user">{t('signin.user')}</label>
        <input
          id="user"
          name="user"
          autoComplete="username"
          required
          value={user}
          onInput={(e) => setUser((e.target as HTMLInputElement).value)}
        />
        <label for="password">{t('signin.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={busy}>
          {t('signin.submit')}
        </button>
        {error && (
          <p class="error" role="alert">
            {t('signin.failed', { error })}
          </p>
        )}
      </form>
    </main>
  );
}
