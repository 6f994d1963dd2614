/** The ledger: tree heads, gossip status, whole-log verification, and a proof to download. */
import { useState } from 'preact/hooks';
import { apiUrl, get, post } from '../../api/client.js';
import type { LedgerAlert, TreeHead, Verification } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session.js';
import { Empty, ErrorLine, Pill, Section, Show } from '../../ui/bits.js';
import { Time } from '../../ui/time.js';

interface LedgerView {
  size: number;
  rootHash: string;
  treeHead: TreeHead | null;
  lastVerification: Verification | null;
}
interface Gossip {
  peers: {
    peer: string;
    party: string;
    latest: { treeSize: number; rootHash: string; timestamp?: number; seenAt?: string } | null;
  }[];
  alerts: LedgerAlert[];
}

export function Ledger() {
  const { t } = useI18n();
  const can = useCan();
  const r = useApi(async () => ({
    l: await get<LedgerView>('ledger'),
    g: await get<Gossip>('ledger/gossip'),
  }));
  const [verification, setVerification] = useState<Verification | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [hash, setHash] = useState('');
  const verify = async () => {
    setError(null);
    try {
      let v = await post<Verification>('ledger/verify', {});
      setVerification(v);
      while (v.state === 'running') {
        await new Promise((res) => setTimeout(res, 500));
        v = await get<Verification>(`ledger/verify/${encodeURIComponent(v.id ?? 'latest')}`);
        setVerification(v);
      }
      r.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <div class="screen" data-screen="ledger">
      <h1>{t('nav.ledger')}</h1>
      <Show r={r}>
        {({ l, g }) => (
          <div class="grid">
            <Section title={t('ledger.heads')} id="ledger-head">
              <dl>
                <dt>{t('ledger.size')}</dt>
                <dd>{l.size}</dd>
                <dt>{t('ledger.root')}</dt>
                <dd class="hash">{l.rootHash}</dd>
                <dt>{t('dash.last_verified')}</dt>
                <dd>
                  {l.lastVerification ? (
                    <>
                      <Time at={l.lastVerification.finished ?? l.lastVerification.at} />{' '}
                      <Pill kind={l.lastVerification.ok ? 'ok' : 'bad'}>
                        {l.lastVerification.ok ? '✓' : '✗'}
                      </Pill>
                    </>
                  ) : (
                    '–'
                  )}
                </dd>
              </dl>
              {l.treeHead && <Time at={l.treeHead.timestamp} />}
              {can('ledger.verify') && (
                <button type="button" onClick={verify} disabled={verification?.state === 'running'}>
                  {t('ledger.verify')}
                </button>
              )}
              {verification && (
                <p role="status">
                  {verification.state === 'running'
                    ? t('app.loading')
                    : verification.ok
                      ? t('ledger.verified', { n: verification.size ?? 0 })
                      : (verification.problem?.message ?? verification.state)}
                </p>
              )}
              <ErrorLine error={error} />
            </Section>
            <Section title={t('ledger.gossip')} id="ledger-gossip">
              {g.peers.length === 0 ? (
                <Empty />
              ) : (
                <table class="list">
                  <thead>
                    <tr>
                      <th scope="col">{t('ledger.peer')}</th>
                      <th scope="col">{t('ledger.size')}</th>
                      <th scope="col">{t('ledger.root')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.peers.map((p) => (
                      <tr key={p.peer}>
                        <td>
                          {p.party} ({p.peer})
                        </td>
                        <td>{p.latest?.treeSize ?? '–'}</td>
                        <td class="hash">{p.latest?.rootHash ?? '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {g.alerts.map((a) => (
                <p key={a.id} class="error">
                  <Pill kind="bad">{a.code}</Pill> {a.peer}: {a.reason} <Time at={a.created} />
                </p>
              ))}
            </Section>
            <Section title={t('ledger.proof')} id="ledger-proof">
              <form
                class="row"
                onSubmit={(e) => {
                  e.preventDefault();
                  location.href = apiUrl(`ledger/proof/${encodeURIComponent(hash.trim())}`);
                }}
              >
                <div class="field">
                  <label for="proof-hash">{t('ledger.envelope')}</label>
                  <input
                    id="proof-hash"
                    value={hash}
                    onInput={(e) => setHash((e.target as HTMLInputElement).value)}
                  />
                </div>
                <button type="submit" disabled={!hash.trim()}>
                  {t('ledger.proof')}
                </button>
              </form>
            </Section>
          </div>
        )}
      </Show>
    </div>
  );
}
