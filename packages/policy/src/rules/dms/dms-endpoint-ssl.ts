import { Rule, fail, notApplicable, pass } from '../../rule';

/**
 * Engines DMS reaches over a database connection that `ssl_mode` governs. Left out: S3, DynamoDB,
 * Kinesis, Neptune, OpenSearch and Elasticsearch (AWS APIs over HTTPS), Kafka and Redis (TLS is
 * set in their own settings block), Redshift (DMS connects to it over SSL on its own and takes
 * no ssl_mode) and dms-transfer.
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Security.SSL.html
 */
export const SSL_DATABASE_ENGINES: readonly string[] = [
  'aurora',
  'aurora-postgresql',
  'aurora-postgresql-serverless',
  'aurora-serverless',
  'azuredb',
  'db2',
  'docdb',
  'mariadb',
  'mongodb',
  'mysql',
  'oracle',
  'postgres',
  'sqlserver',
  'sybase',
];

/** A DMS endpoint for a database engine connects over TLS: `ssl_mode` other than `none` (its default). */
export const dmsEndpointSsl: Rule = {
  id: 'dms-endpoint-ssl',
  severity: 'high',
  resourceTypes: ['aws_dms_endpoint'],
  description: 'A DMS endpoint for a database engine sets ssl_mode to require, verify-ca or verify-full.',
  rationale:
    'Replication streams whole tables and the database credentials between DMS and the database; without TLS anyone on the network path can read or alter them.',
  check(endpoint) {
    const engine = String(endpoint.config.engine_name);
    if (!SSL_DATABASE_ENGINES.includes(engine)) {
      return notApplicable(`engine ${engine} is not a database connection that ssl_mode governs`);
    }
    const mode = endpoint.config.ssl_mode;
    if (mode === undefined || mode === 'none') {
      return fail(`connects to its ${engine} database without TLS (ssl_mode ${mode === undefined ? 'unset, so none' : 'none'}); set ssl_mode to "verify-full" (or "verify-ca" or "require", as the engine supports)`);
    }
    return pass();
  },
};
