/** Acknowledge a message received, as one of this node's points of contact. */
import { useState } from 'preact/hooks';
import { post } from '../../api/client.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorLine } from '../../ui/bits.js';

export function AckButton({ id, pocs, onDone }: { id: string; pocs: string[]; onDone: () => void }) {
  const { t } = useI18n();
  const [poc, setPoc] = useState(pocs[0] ?? '');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const ack = async () => {
    setBusy(true);
    setError(null);
    try {
      await post(`hotline/messages/${encodeURIComponent(id)}/ack`, { poc });
      onDone();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const selectId = `ack-poc-${id}`;
  return (
    <span class="ack">
      {pocs.length > 1 && (
        <>
          <label for={selectId} class="sr-only">
            {t('hl.as_poc')}
          </label>
          <select id={selectId} value={poc} onChange={(e) => setPoc((e.target as HTMLSelectElement).value)}>
            {pocs.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </>
      )}
      <button type="button" onClick={ack} disabled={busy || !poc} data-action="ack">
        {t('hl.acknowledge')}
      </button>
      <ErrorLine error={error} />
    </span>
  );
}
