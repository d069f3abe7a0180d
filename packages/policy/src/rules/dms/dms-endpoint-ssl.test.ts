import { runRule, stackOf } from '../../testing';
import { dmsEndpointSsl } from './dms-endpoint-ssl';

const ADDRESS = 'aws_dms_endpoint.orders_source';
const endpoint = (config: Record<string, unknown>) =>
  stackOf({ [ADDRESS]: { endpoint_id: 'orders-source', endpoint_type: 'source', kms_key_arn: '${aws_kms_key.lake_key.arn}', ...config } });

describe('dms-endpoint-ssl', () => {
  test('passes a PostgreSQL endpoint that verifies the server certificate', () => {
    expect(runRule(dmsEndpointSsl, endpoint({ engine_name: 'postgres', ssl_mode: 'verify-full' }), ADDRESS)).toEqual({ status: 'pass' });
  });

  test('passes an Oracle endpoint with verify-ca', () => {
    const stack = endpoint({ engine_name: 'oracle', ssl_mode: 'verify-ca', certificate_arn: '${aws_dms_certificate.oracle.certificate_arn}' });
    expect(runRule(dmsEndpointSsl, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails a MySQL endpoint without ssl_mode, which means none', () => {
    expect(runRule(dmsEndpointSsl, endpoint({ engine_name: 'mysql' }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'connects to its mysql database without TLS (ssl_mode unset, so none); set ssl_mode to "verify-full" (or "verify-ca" or "require", as the engine supports)',
    });
  });

  test('fails an Aurora PostgreSQL endpoint with ssl_mode none', () => {
    expect(runRule(dmsEndpointSsl, endpoint({ engine_name: 'aurora-postgresql', ssl_mode: 'none' }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'connects to its aurora-postgresql database without TLS (ssl_mode none); set ssl_mode to "verify-full" (or "verify-ca" or "require", as the engine supports)',
    });
  });

  test('does not apply to an S3 endpoint', () => {
    expect(runRule(dmsEndpointSsl, endpoint({ engine_name: 's3', endpoint_type: 'target' }), ADDRESS)).toEqual({
      status: 'not-applicable',
      reason: 'engine s3 is not a database connection that ssl_mode governs',
    });
  });

  test('does not apply to Kinesis or Redshift targets', () => {
    expect(runRule(dmsEndpointSsl, endpoint({ engine_name: 'kinesis', endpoint_type: 'target' }), ADDRESS)).toMatchObject({ status: 'not-applicable' });
    expect(runRule(dmsEndpointSsl, endpoint({ engine_name: 'redshift', endpoint_type: 'target' }), ADDRESS)).toMatchObject({ status: 'not-applicable' });
  });
});
