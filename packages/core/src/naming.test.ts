import { NAME_HASH_LENGTH, NAME_LIMITS, NameParts, physicalName } from './naming';

const PARTS: NameParts = { project: 'adp', env: 'prod', layer: 'lake', name: 'raw' };
const ACCOUNT = '123456789012';

function parts(name: string, layer = 'lake'): NameParts {
  return { project: 'adp', env: 'prod', layer, name };
}

describe('physicalName', () => {
  describe('format', () => {
    it('joins <project>-<env>-<layer>-<name>', () => {
      expect(physicalName(PARTS)).toBe('adp-prod-lake-raw');
    });

    it('appends the suffix last (bucket names carry the account id there)', () => {
      expect(physicalName(PARTS, { suffix: ACCOUNT })).toBe('adp-prod-lake-raw-123456789012');
    });

    it('lowercases every part and turns other characters into the separator', () => {
      expect(physicalName({ project: 'ADP', env: 'Prod', layer: 'Lake', name: 'Raw Zone.v2' })).toBe('adp-prod-lake-raw-zone-v2');
    });

    it('collapses runs of separators and trims them at the ends of each part', () => {
      expect(physicalName(parts('--orders__daily  '))).toBe('adp-prod-lake-orders-daily');
    });

    it('uses "_" between and inside parts when asked (Glue and Athena names)', () => {
      expect(physicalName(parts('customer-orders', 'processing'), { separator: '_' })).toBe('adp_prod_processing_customer_orders');
      expect(physicalName(PARTS, { separator: '_', suffix: ACCOUNT })).toBe('adp_prod_lake_raw_123456789012');
    });

    it('leaves out an empty part instead of doubling the separator', () => {
      expect(physicalName({ project: 'adp', env: 'prod', layer: '', name: 'alerts' })).toBe('adp-prod-alerts');
    });
  });

  describe('length', () => {
    it(`keeps names of exactly the default limit (${NAME_LIMITS.default}) whole`, () => {
      const name = 'x'.repeat(NAME_LIMITS.default - 'adp-prod-lake-'.length);
      expect(physicalName(parts(name))).toBe(`adp-prod-lake-${name}`);
      expect(physicalName(parts(name))).toHaveLength(NAME_LIMITS.default);
    });

    it('cuts a name one over the default limit and ends it with a hash', () => {
      const name = 'x'.repeat(NAME_LIMITS.default - 'adp-prod-lake-'.length + 1);
      const result = physicalName(parts(name));
      expect(result).toHaveLength(NAME_LIMITS.default);
      expect(result).toMatch(new RegExp(`^adp-prod-lake-x+-[0-9a-f]{${NAME_HASH_LENGTH}}$`));
    });

    // A contract: changing these outputs renames (replaces) existing resources.
    it('pins the hashed form of long names', () => {
      expect(physicalName(parts('customer-orders-enriched-with-marketing-attribution', 'processing'))).toBe(
        'adp-prod-processing-customer-orders-enriched-with-marke-b6d5943e',
      );
      expect(physicalName(parts('a'.repeat(80)), { suffix: ACCOUNT, maxLength: NAME_LIMITS.s3Bucket })).toBe(
        'adp-prod-lake-aaaaaaaaaaaaaaaaaaaaaaaaaaa-468c6b8b-123456789012',
      );
      expect(
        physicalName(parts('customer_orders_enriched_with_marketing_attribution_and_more', 'processing'), { separator: '_' }),
      ).toBe('adp_prod_processing_customer_orders_enriched_with_marke_03f3f7d2');
    });

    it('never cuts the suffix', () => {
      const result = physicalName(parts('z'.repeat(100)), { suffix: ACCOUNT, maxLength: NAME_LIMITS.s3Bucket });
      expect(result.endsWith(`-${ACCOUNT}`)).toBe(true);
      expect(result).toHaveLength(NAME_LIMITS.s3Bucket);
    });

    it('does not leave a separator before the hash when the cut falls on one', () => {
      // The cut at 31 characters ends right after "abcdefgh-"; the dangling "-" is dropped.
      expect(physicalName(parts('abcdefgh-'.repeat(8)), { maxLength: 41 })).toBe('adp-prod-lake-abcdefgh-abcdefgh-9c5f655e');
    });

    it('stays within maxLength for every length of name, limit and suffix', () => {
      for (const maxLength of [30, NAME_LIMITS.s3Bucket, NAME_LIMITS.iamRole, NAME_LIMITS.iamPolicy]) {
        for (const suffix of [undefined, ACCOUNT]) {
          for (let n = 1; n <= 200; n += 7) {
            const result = physicalName(parts(`n${'a-b'.repeat(n)}`), { maxLength, suffix });
            expect(result.length).toBeLessThanOrEqual(maxLength);
            expect(result).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            if (suffix) expect(result.endsWith(`-${suffix}`)).toBe(true);
          }
        }
      }
    });

    it('gives the same output for the same input, run after run', () => {
      const long = parts('orders-'.repeat(20));
      expect(physicalName(long, { suffix: ACCOUNT, maxLength: 63 })).toBe(physicalName({ ...long }, { suffix: ACCOUNT, maxLength: 63 }));
    });

    it('gives distinct names to long inputs that differ only after the cut', () => {
      const prefix = 'customer-orders-enriched-with-marketing-attribution-';
      const names = ['daily', 'weekly', 'monthly', 'by-region', 'by-channel'].map((tail) =>
        physicalName(parts(`${prefix}${tail}`), { suffix: ACCOUNT, maxLength: NAME_LIMITS.s3Bucket }),
      );
      const shared = names[0].slice(0, names[0].length - NAME_HASH_LENGTH - ACCOUNT.length - 2);
      expect(names.every((n) => n.startsWith(shared))).toBe(true);
      expect(new Set(names).size).toBe(names.length);
    });

    it('rejects a suffix that leaves no room for the name', () => {
      expect(() => physicalName(parts('a'.repeat(40)), { suffix: 'x'.repeat(20), maxLength: 30 })).toThrow(
        `physicalName: suffix "${'x'.repeat(20)}" leaves no room in 30 characters`,
      );
    });
  });
});
