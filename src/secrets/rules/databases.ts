import type { SecretSpec } from '../types.js';

function dbUrl(id: string, title: string, scheme: string, keywords: string[], reference: string): SecretSpec {
  return {
    id,
    title,
    severity: 'HIGH',
    aliases: [],
    keywords,
    // user may be empty (`redis://:pass@host`); the password is group 1
    regex: new RegExp(
      `(?<![A-Za-z0-9+.-])(?:${scheme})://[^:@/\\s"'\`<>]{0,100}:([^@/\\s"'\`<>]{3,200})@[A-Za-z0-9_.%\\[\\]-]{1,255}`,
      'i',
    ),
    secretGroup: 1,
    category: 'databases',
    references: [reference],
    remediation:
      'Take the password out of the connection URL: read it from a secret store or an environment variable set at run time, and rotate the leaked password.',
  };
}

export const databaseRules: SecretSpec[] = [
  dbUrl(
    'database-url-postgres',
    'PostgreSQL URL with a password',
    'postgres(?:ql)?(?:\\+[a-z0-9]{1,20})?',
    ['postgres'],
    'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS',
  ),
  dbUrl(
    'database-url-mysql',
    'MySQL / MariaDB URL with a password',
    '(?:mysql|mariadb)(?:\\+[a-z0-9]{1,20})?',
    ['mysql', 'mariadb'],
    'https://dev.mysql.com/doc/refman/8.0/en/connecting-using-uri-or-key-value-pairs.html',
  ),
  dbUrl(
    'database-url-mongodb',
    'MongoDB URL with a password',
    'mongodb(?:\\+srv)?',
    ['mongodb'],
    'https://www.mongodb.com/docs/manual/reference/connection-string/',
  ),
  dbUrl(
    'database-url-redis',
    'Redis URL with a password',
    'rediss?',
    ['redis'],
    'https://www.iana.org/assignments/uri-schemes/prov/redis',
  ),
  dbUrl(
    'database-url-amqp',
    'AMQP (RabbitMQ) URL with a password',
    'amqps?',
    ['amqp'],
    'https://www.rabbitmq.com/docs/uri-spec',
  ),
  dbUrl(
    'database-url-mssql',
    'SQL Server URL with a password',
    '(?:mssql|sqlserver)(?:\\+[a-z0-9]{1,20})?',
    ['mssql', 'sqlserver'],
    'https://learn.microsoft.com/en-us/sql/connect/jdbc/building-the-connection-url',
  ),
  {
    id: 'url-credentials',
    title: 'Password in an HTTP/FTP URL',
    severity: 'MEDIUM',
    aliases: [],
    keywords: ['://'],
    regex:
      /(?<![A-Za-z0-9+.-])(?:https?|ftps?|git\+https|svn\+ssh):\/\/[^:@/\s"'`<>]{1,100}:([^@/\s"'`<>]{3,200})@[A-Za-z0-9_.-]{1,255}/i,
    secretGroup: 1,
    entropy: 2.5,
    generic: true,
    category: 'generic',
    references: ['https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1'],
  },
];
