/** The hotline: inbox, sent, compose, and a thread's timeline (`#/hotline/thread/ID`). */
import { useI18n } from '../../i18n/index.js';
import { useCan } from '../../session.js';
import { href, useRoute } from '../../ui/route.js';
import { Compose } from './compose.js';
import { MessageList } from './list.js';
import { Thread } from './thread.js';

export function Hotline() {
  const { t } = useI18n();
  const can = useCan();
  const { parts } = useRoute();
  const tab = parts[0] ?? 'inbox';
  const tabs: [string, string][] = [
    ['inbox', t('hl.inbox')],
    ['sent', t('hl.outbox')],
  ];
  if (can('hotline.write')) tabs.push(['compose', t('hl.compose')]);
  return (
    <div class="screen" data-screen="hotline">
      <h1>{t('nav.hotline')}</h1>
      <nav class="tabs" aria-label={t('nav.hotline')}>
        {tabs.map(([id, label]) => (
          <a key={id} href={href('hotline', id)} aria-current={tab === id ? 'page' : undefined} data-tab={id}>
            {label}
          </a>
        ))}
      </nav>
      {tab === 'thread' && parts[1] ? (
        <Thread id={parts[1]} />
      ) : tab === 'compose' && can('hotline.write') ? (
        <Compose />
      ) : (
        <MessageList which={tab === 'sent' ? 'sent' : 'inbox'} />
      )}
    </div>
  );
}
