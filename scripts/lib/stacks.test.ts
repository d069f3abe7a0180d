import { SynthesizedStackInfo } from './synth';
import { selectStacks } from './stacks';

const info = (name: string, environment: string, offline: boolean): SynthesizedStackInfo => ({
  name, environment, offline, stage: 'development', protect: false, dir: `/x/${name}`, stateful: [],
});
const stacks = [info('local', 'local', true), info('dev-lake', 'dev', false), info('prod-lake', 'prod', false)];

describe('stack selection', () => {
  test('defaults to the stacks of offline environments', () => {
    expect(selectStacks(stacks, []).map((s) => s.name)).toEqual(['local']);
  });

  test('selects by stack name or by environment name', () => {
    expect(selectStacks(stacks, ['dev']).map((s) => s.name)).toEqual(['dev-lake']);
    expect(selectStacks(stacks, ['prod-lake', 'local']).map((s) => s.name)).toEqual(['local', 'prod-lake']);
  });

  test('rejects an unknown name and lists the choices', () => {
    expect(() => selectStacks(stacks, ['qa'])).toThrow('no stack or environment named "qa"; choose from local, dev-lake, prod-lake');
  });
});
