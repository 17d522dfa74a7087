import { category } from './define.js';
import type { SecretSpec } from '../types.js';

// Social networks, media and community platforms.
const { key, shape } = category('social');

const TWITTER = 'https://developer.x.com/en/docs/authentication/overview';
const LINKEDIN = 'https://learn.microsoft.com/en-us/linkedin/shared/authentication/authentication';
const YANDEX = 'https://yandex.cloud/en/docs/iam/concepts/authorization/';

export const socialRules: SecretSpec[] = [
  key(
    'discord-api-token',
    'Discord API key',
    ['discord'],
    '[a-f0-9]{64}',
    'https://discord.com/developers/docs/reference#authentication',
    {
      entropy: 3,
    },
  ),
  key(
    'discord-client-id',
    'Discord client ID',
    ['discord'],
    '[0-9]{18}',
    'https://discord.com/developers/docs/topics/oauth2',
    {
      entropy: 2,
      severity: 'LOW',
    },
  ),
  key(
    'discord-client-secret',
    'Discord client secret',
    ['discord'],
    '[a-z0-9=_-]{32}',
    'https://discord.com/developers/docs/topics/oauth2',
    {
      entropy: 2,
    },
  ),
  // ETSY / Etsy, not the middle of a word (`Betsy`)
  key(
    'etsy-access-token',
    'Etsy API key',
    ['etsy'],
    '[a-zA-Z0-9]{24}',
    'https://developers.etsy.com/documentation/essentials/authentication',
    {
      key: '(?:ETSY|[Ee]tsy)',
      flags: '',
      entropy: 3,
    },
  ),
  key(
    'facebook-secret',
    'Facebook app secret',
    ['facebook'],
    '[a-f0-9]{32}',
    'https://developers.facebook.com/docs/facebook-login/security/',
    {
      entropy: 3,
    },
  ),
  shape(
    'facebook-access-token',
    'Facebook app access token',
    '[0-9]{15,16}(?:\\||%7C|%)[0-9A-Za-z_-]{27,40}',
    ['facebook'],
    'https://developers.facebook.com/docs/facebook-login/guides/access-tokens/',
    {
      entropy: 3,
    },
  ),
  shape(
    'facebook-page-access-token',
    'Facebook page access token',
    'EAA[MC][A-Za-z0-9]{100,1000}',
    ['eaam', 'eaac'],
    'https://developers.facebook.com/docs/facebook-login/guides/access-tokens/',
    {
      entropy: 4,
    },
  ),
  key(
    'flickr-access-token',
    'Flickr API key',
    ['flickr'],
    '[a-z0-9]{32}',
    'https://www.flickr.com/services/api/misc.api_keys.html',
    { entropy: 3 },
  ),
  key(
    'gitter-access-token',
    'Gitter access token',
    ['gitter'],
    '[a-z0-9_-]{40}',
    'https://developer.gitter.im/docs/authentication',
    { entropy: 3 },
  ),
  key(
    'linkedin-client-id',
    'LinkedIn client ID',
    ['linkedin', 'linked_in', 'linked-in'],
    '[a-z0-9]{14}',
    LINKEDIN,
    {
      key: 'linked[_-]?in',
      entropy: 2,
      severity: 'LOW',
    },
  ),
  key(
    'linkedin-client-secret',
    'LinkedIn client secret',
    ['linkedin', 'linked_in', 'linked-in'],
    '[a-z0-9]{16}',
    LINKEDIN,
    {
      key: 'linked[_-]?in',
      entropy: 2,
    },
  ),
  key(
    'nytimes-access-token',
    'New York Times API key',
    ['nytimes', 'new-york-times', 'newyorktimes'],
    '[a-z0-9=_-]{32}',
    'https://developer.nytimes.com/get-started',
    {
      entropy: 3,
    },
  ),
  key(
    'rapidapi-access-token',
    'RapidAPI key',
    ['rapidapi'],
    '[a-z0-9_-]{50}',
    'https://docs.rapidapi.com/docs/keys-and-key-rotation',
    { entropy: 3 },
  ),
  key(
    'twitch-api-token',
    'Twitch API token',
    ['twitch'],
    '[a-z0-9]{30}',
    'https://dev.twitch.tv/docs/authentication/',
    { entropy: 3 },
  ),
  key('twitter-access-secret', 'Twitter / X access token secret', ['twitter'], '[a-z0-9]{45}', TWITTER, {
    entropy: 3,
  }),
  key(
    'twitter-access-token',
    'Twitter / X access token',
    ['twitter'],
    '[0-9]{15,25}-[a-z0-9]{20,40}',
    TWITTER,
    { entropy: 3 },
  ),
  key('twitter-api-key', 'Twitter / X API key', ['twitter'], '[a-z0-9]{25}', TWITTER, { entropy: 3 }),
  key('twitter-api-secret', 'Twitter / X API key secret', ['twitter'], '[a-z0-9]{50}', TWITTER, {
    entropy: 3,
  }),
  key('twitter-bearer-token', 'Twitter / X bearer token', ['twitter'], 'A{22}[a-z0-9%]{80,100}', TWITTER, {
    allowRuns: true,
    entropy: 3,
  }),
  key(
    'yandex-access-token',
    'Yandex Cloud IAM token',
    ['yandex'],
    't1\\.[a-z0-9_-]{1,200}={0,2}\\.[a-z0-9_-]{86}={0,2}',
    YANDEX,
    { entropy: 3 },
  ),
  key('yandex-api-key', 'Yandex Cloud API key', ['yandex'], 'AQVN[a-z0-9_-]{35,38}', YANDEX, { entropy: 3 }),
  key('yandex-aws-access-token', 'Yandex Cloud static access key', ['yandex'], 'YC[a-z0-9_-]{38}', YANDEX, {
    entropy: 3,
  }),
];
