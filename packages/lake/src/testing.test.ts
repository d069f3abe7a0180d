import { synthesize, testApp, testEnvironment } from '@data-platform/core';
import { DataLake } from './data-lake';
import { layeredStacks, stackWithLake } from './testing';

const environment = testEnvironment({ name: 'dev' });

describe('stackWithLake', () => {
  test('builds the lake (id `lake`) in a stack named after the environment, or `id`', () => {
    const { stack, lake } = stackWithLake(environment);
    expect(stack.node.id).toBe('dev');
    expect(lake).toBeInstanceOf(DataLake);
    expect(lake.node.id).toBe('lake');
    expect(stackWithLake(environment, { id: 'other' }).stack.node.id).toBe('other');
  });

  test('joins the given app and gives the stack the given aspects', () => {
    const app = testApp();
    const visited: string[] = [];
    const { stack } = stackWithLake(environment, { app, aspects: [{ visit: (node) => void visited.push(node.node.path) }] });
    synthesize(stack);
    expect(stack.node.scope).toBe(app);
    expect(visited).toContain('dev/lake');
  });
});

describe('layeredStacks', () => {
  test('builds `<env>-lake` and an empty `<env>-<layer>` stack in one app', () => {
    const { app, lakeStack, lake, stack } = layeredStacks(environment, 'processing');
    expect(app.node.children.map((c) => c.node.id)).toEqual(['dev-lake', 'dev-processing']);
    expect(lake.node.scope).toBe(lakeStack);
    expect(stack.node.id).toBe('dev-processing');
    expect(synthesize(stack).tf.resource).toBeUndefined();
  });

  test('names both stacks with `prefix` instead of the environment name', () => {
    const { lakeStack, stack } = layeredStacks(environment, 'ingestion', { prefix: 'staging' });
    expect([lakeStack.node.id, stack.node.id]).toEqual(['staging-lake', 'staging-ingestion']);
  });
});
