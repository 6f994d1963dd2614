export { type Backoff, DEFAULT_BACKOFF, retryDelay } from './backoff.js';
export {
  Outbox,
  type OutboxInput,
  type OutboxItem,
  type OutboxOptions,
  type OutboxSender,
  type OutboxState,
  type PassResult,
  type Preparer,
  type SendOutcome,
  type SettledListener,
} from './outbox.js';
