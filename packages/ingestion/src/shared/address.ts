/** Terraform address of a dataset's stateful resource: `ingest_<dataset>_<role>` (hyphens become "_"). */
export function ingestAddress(dataset: string, role: string): string {
  return `ingest_${dataset.replace(/-/g, '_')}_${role}`;
}
