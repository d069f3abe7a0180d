import { runRule, stackOf } from '../../testing';
import { athenaScanCutoff } from './athena-scan-cutoff';

const ADDRESS = 'aws_athena_workgroup.analysts';
const workgroup = (configuration?: Record<string, unknown>) =>
  stackOf({ [ADDRESS]: { name: 'analysts', ...(configuration ? { configuration: [configuration] } : {}) } });

describe('athena-scan-cutoff', () => {
  test('passes a workgroup with a per-query scan limit', () => {
    expect(runRule(athenaScanCutoff, workgroup({ bytes_scanned_cutoff_per_query: 10737418240 }), ADDRESS)).toEqual({ status: 'pass' });
  });

  test('passes a limit computed from configuration', () => {
    expect(runRule(athenaScanCutoff, workgroup({ bytes_scanned_cutoff_per_query: '${var.scan_limit}' }), ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails a workgroup without a scan limit', () => {
    expect(runRule(athenaScanCutoff, workgroup({ enforce_workgroup_configuration: true }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'has no per-query scan limit (bytes_scanned_cutoff_per_query unset); set configuration.bytes_scanned_cutoff_per_query to a limit of at least 10485760 bytes',
    });
  });

  test('fails a limit of 0, which Athena reads as no limit', () => {
    expect(runRule(athenaScanCutoff, workgroup({ bytes_scanned_cutoff_per_query: 0 }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'has no per-query scan limit (bytes_scanned_cutoff_per_query 0); set configuration.bytes_scanned_cutoff_per_query to a limit of at least 10485760 bytes',
    });
  });

  test('fails a workgroup without a configuration block', () => {
    expect(runRule(athenaScanCutoff, workgroup(), ADDRESS)).toMatchObject({ status: 'fail', message: expect.stringContaining('(bytes_scanned_cutoff_per_query unset)') });
  });
});
