/** Notifications: channels, the outbox drain, the sender, the signature. */
export { drainOutbox, retryDelay, type DrainOptions, type DrainResult } from './outbox.js';
export { notifyRound, startNotifier, type NotifierOptions } from './timer.js';
export { sendEvent, signature, type SendResult } from './send.js';
export { EVENT_TYPES, wants, type ChannelFilters, type EventType } from './filter.js';
