import { category, UUID } from './define.js';
import type { SecretSpec } from '../types.js';

// Exchanges, banking APIs and payment providers not in payments.ts.
const { key, shape } = category('payments');

const PLAID = 'https://plaid.com/docs/api/#api-access';
const FLUTTERWAVE = 'https://developer.flutterwave.com/docs/integration-guides/authentication';
const KUCOIN = 'https://www.kucoin.com/docs/basic-info/connection-method/authentication/creating-a-request';
const FINICITY = 'https://developer.mastercard.com/open-banking-us/documentation/quick-start-guide/';
const LOB = 'https://docs.lob.com/#tag/Authentication';

export const financeRules: SecretSpec[] = [
  {
    ...key(
      'bittrex-access-key',
      'Bittrex API key or secret',
      ['bittrex'],
      '[a-z0-9]{32}',
      'https://bittrex.github.io/api/v3#topic-Authentication',
      {
        entropy: 3,
      },
    ),
    // the key and its secret have one shape: one rule answers for both gitleaks ids
    aliases: ['gitleaks:bittrex-access-key', 'gitleaks:bittrex-secret-key'],
  },
  key(
    'coinbase-access-token',
    'Coinbase access token',
    ['coinbase'],
    '[a-z0-9_-]{64}',
    'https://docs.cdp.coinbase.com/get-started/docs/cdp-api-keys',
    {
      entropy: 3,
    },
  ),
  key('finicity-api-token', 'Finicity API key', ['finicity'], '[a-f0-9]{32}', FINICITY, { entropy: 3 }),
  key('finicity-client-secret', 'Finicity client secret', ['finicity'], '[a-z0-9]{20}', FINICITY, {
    entropy: 3,
  }),
  key(
    'finnhub-access-token',
    'Finnhub API key',
    ['finnhub'],
    '[a-z0-9]{20}',
    'https://finnhub.io/docs/api/authentication',
    { entropy: 3 },
  ),
  shape(
    'flutterwave-public-key',
    'Flutterwave test public key',
    'FLWPUBK_TEST-[a-hA-H0-9]{32}-X',
    ['flwpubk_test'],
    FLUTTERWAVE,
    {
      entropy: 2,
      severity: 'LOW',
    },
  ),
  shape(
    'flutterwave-secret-key',
    'Flutterwave test secret key',
    'FLWSECK_TEST-[a-hA-H0-9]{32}-X',
    ['flwseck_test'],
    FLUTTERWAVE,
    {
      entropy: 2,
    },
  ),
  shape(
    'flutterwave-encryption-key',
    'Flutterwave test encryption key',
    'FLWSECK_TEST-[a-hA-H0-9]{12}',
    ['flwseck_test'],
    FLUTTERWAVE,
    {
      entropy: 2,
    },
  ),
  key(
    'gocardless-api-token',
    'GoCardless live access token',
    ['gocardless'],
    'live_[a-z0-9_=-]{40}',
    'https://developer.gocardless.com/getting-started/api/making-your-first-request/',
    {
      entropy: 3,
      severity: 'CRITICAL',
    },
  ),
  key(
    'kraken-access-token',
    'Kraken API key',
    ['kraken'],
    '[a-z0-9/=_+-]{80,90}',
    'https://docs.kraken.com/api/docs/guides/spot-rest-auth',
    { entropy: 3 },
  ),
  key('kucoin-access-token', 'KuCoin API key', ['kucoin'], '[a-f0-9]{24}', KUCOIN, { entropy: 3 }),
  key('kucoin-secret-key', 'KuCoin API secret', ['kucoin'], UUID, KUCOIN, { entropy: 3 }),
  key('lob-api-key', 'Lob API key', ['lob'], '(?:live|test)_[a-f0-9]{35}', LOB, { entropy: 3 }),
  key('lob-pub-api-key', 'Lob publishable API key', ['lob'], '(?:live|test)_pub_[a-f0-9]{31}', LOB, {
    entropy: 3,
    severity: 'LOW',
  }),
  key(
    'plaid-api-token',
    'Plaid access token',
    ['plaid'],
    `access-(?:sandbox|development|production)-${UUID}`,
    PLAID,
    { entropy: 3 },
  ),
  key('plaid-client-id', 'Plaid client ID', ['plaid'], '[a-z0-9]{24}', PLAID, {
    entropy: 3.5,
    severity: 'LOW',
  }),
  key('plaid-secret-key', 'Plaid secret', ['plaid'], '[a-z0-9]{30}', PLAID, { entropy: 3.5 }),
];
