import { runRule, stackOf } from '../../testing';
import { athenaWorkgroupEnforced } from './athena-workgroup-enforced';

const ADDRESS = 'aws_athena_workgroup.analysts';
const workgroup = (config: Record<string, unknown>) => stackOf({ [ADDRESS]: { name: 'analysts', ...config } });

describe('athena-workgroup-enforced', () => {
  test('passes a workgroup that enforces its configuration explicitly', () => {
    expect(runRule(athenaWorkgroupEnforced, workgroup({ configuration: [{ enforce_workgroup_configuration: true }] }), ADDRESS)).toEqual({ status: 'pass' });
  });

  test('passes a configuration block that leaves enforcement to the provider default of true', () => {
    expect(runRule(athenaWorkgroupEnforced, workgroup({ configuration: [{ bytes_scanned_cutoff_per_query: 10737418240 }] }), ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails a workgroup that lets clients override its settings', () => {
    expect(runRule(athenaWorkgroupEnforced, workgroup({ configuration: [{ enforce_workgroup_configuration: false }] }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'lets clients override its settings (enforce_workgroup_configuration false); set enforce_workgroup_configuration to true',
    });
  });

  test('fails a workgroup without a configuration block', () => {
    expect(runRule(athenaWorkgroupEnforced, workgroup({}), ADDRESS)).toEqual({
      status: 'fail',
      message: 'has no configuration block, so clients choose their own result location and encryption; add configuration with enforce_workgroup_configuration true',
    });
  });
});
