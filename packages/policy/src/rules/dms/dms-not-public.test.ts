import { runRule, stackOf } from '../../testing';
import { dmsNotPublic } from './dms-not-public';

const ADDRESS = 'aws_dms_replication_instance.orders';
const instance = (config: Record<string, unknown>) =>
  stackOf({ [ADDRESS]: { replication_instance_id: 'orders', replication_instance_class: 'dms.t3.medium', ...config } });

describe('dms-not-public', () => {
  test('passes an instance that is explicitly private', () => {
    expect(runRule(dmsNotPublic, instance({ publicly_accessible: false }), ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails an instance that leaves publicly_accessible to the AWS default', () => {
    expect(runRule(dmsNotPublic, instance({}), ADDRESS)).toEqual({
      status: 'fail',
      message: 'does not set publicly_accessible, and DMS makes an instance public by default; set publicly_accessible to false',
    });
  });

  test('fails a publicly accessible instance', () => {
    expect(runRule(dmsNotPublic, instance({ publicly_accessible: true }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'is publicly accessible (publicly_accessible true); set publicly_accessible to false',
    });
  });
});
