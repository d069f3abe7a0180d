import { RESERVED_TAG_KEYS } from './config/schema';
import { MANAGED_BY, defaultTags } from './tags';
import { testEnvironment } from './testing';

describe('defaultTags', () => {
  it('tags every resource with project, environment, stage and managed-by', () => {
    expect(defaultTags(testEnvironment())).toEqual({
      project: 'adp',
      environment: 'test',
      stage: 'development',
      'managed-by': 'cdktf-data-platform',
    });
  });

  it('sets exactly the reserved tag keys when the environment adds none', () => {
    expect(Object.keys(defaultTags(testEnvironment())).sort()).toEqual([...RESERVED_TAG_KEYS].sort());
  });

  it("takes project, environment and stage from the environment's config", () => {
    const tags = defaultTags(testEnvironment({ name: 'prod', project: 'shop', stage: 'production' }));
    expect(tags).toMatchObject({ project: 'shop', environment: 'prod', stage: 'production', 'managed-by': MANAGED_BY });
  });

  it("adds the environment's extra tags", () => {
    const tags = defaultTags(testEnvironment({ tags: { 'cost-center': 'data-platform', owner: 'data team' } }));
    expect(tags).toEqual({
      'cost-center': 'data-platform',
      owner: 'data team',
      project: 'adp',
      environment: 'test',
      stage: 'development',
      'managed-by': MANAGED_BY,
    });
  });

  it('keeps the platform tags when extra tags use the same keys (the loader rejects those files)', () => {
    // testEnvironment validates with the schema only, not the loader's cross-field rules.
    const tags = defaultTags(testEnvironment({ tags: { project: 'other', 'managed-by': 'hand' } }));
    expect(tags.project).toBe('adp');
    expect(tags['managed-by']).toBe(MANAGED_BY);
  });
});
