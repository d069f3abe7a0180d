import { runRule, stackOf } from '../../testing';
import { glueConnectionNoPlaintextPassword } from './glue-connection-no-plaintext-password';

const ADDRESS = 'aws_glue_connection.orders_db';
const connection = (properties: unknown) =>
  stackOf({ [ADDRESS]: { name: 'orders-db', connection_type: 'JDBC', ...(properties === undefined ? {} : { connection_properties: properties }) } });
const JDBC = 'jdbc:postgresql://orders.example.internal:5432/orders';

describe('glue-connection-no-plaintext-password', () => {
  test('passes a connection that reads its credentials from Secrets Manager', () => {
    const stack = connection({ JDBC_CONNECTION_URL: JDBC, SECRET_ID: '${aws_secretsmanager_secret.orders_db.name}' });
    expect(runRule(glueConnectionNoPlaintextPassword, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('passes a connection without connection_properties', () => {
    expect(runRule(glueConnectionNoPlaintextPassword, connection(undefined), ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails a literal PASSWORD', () => {
    expect(runRule(glueConnectionNoPlaintextPassword, connection({ JDBC_CONNECTION_URL: JDBC, USERNAME: 'etl', PASSWORD: 'hunter2' }), ADDRESS)).toEqual({
      status: 'fail',
      message:
        'keeps a password in connection_properties (PASSWORD), which Terraform stores in plain text in state; remove it and set SECRET_ID to a Secrets Manager secret holding the credentials',
    });
  });

  test('fails a PASSWORD read from a secret, since its value still lands in state', () => {
    const stack = connection({ JDBC_CONNECTION_URL: JDBC, USERNAME: 'etl', PASSWORD: '${data.aws_secretsmanager_secret_version.orders_db.secret_string}' });
    expect(runRule(glueConnectionNoPlaintextPassword, stack, ADDRESS)).toMatchObject({ status: 'fail', message: expect.stringContaining('(PASSWORD)') });
  });

  test('fails Kafka passwords and leaves ENCRYPTED_ ciphertext alone', () => {
    const stack = connection({
      KAFKA_BOOTSTRAP_SERVERS: 'b-1.events:9096',
      KAFKA_SASL_SCRAM_PASSWORD: 'hunter2',
      ENCRYPTED_KAFKA_CLIENT_KEY_PASSWORD: 'AQICAHh...',
    });
    expect(runRule(glueConnectionNoPlaintextPassword, stack, ADDRESS)).toEqual({
      status: 'fail',
      message:
        'keeps a password in connection_properties (KAFKA_SASL_SCRAM_PASSWORD), which Terraform stores in plain text in state; remove it and set SECRET_ID to a Secrets Manager secret holding the credentials',
    });
  });

  test('fails connection_properties that are one computed expression', () => {
    expect(runRule(glueConnectionNoPlaintextPassword, connection('${var.orders_db_properties}'), ADDRESS)).toEqual({
      status: 'fail',
      message:
        'has connection_properties computed as a whole (${var.orders_db_properties}), so the pack cannot rule out a PASSWORD; write them as a map that uses SECRET_ID and no password',
    });
  });
});
