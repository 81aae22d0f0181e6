import type { ShardRecord } from '../../../common/shard/format';
import { TEMPLATE_BYTES } from '../../../common/shard/format';

/** The matcher's gallery: every live template as a row, and which template id each row is. */
export interface Gallery {
  readonly rows: Int8Array;
  readonly rowTemplate: readonly string[];
}

/** Lays out the live records' templates row-major; tombstoned records are simply absent. */
export function buildGallery(records: Iterable<ShardRecord>): Gallery {
  const list = [...records];
  const total = list.reduce((s, r) => s + r.templates.length, 0);
  const rows = new Int8Array(total * TEMPLATE_BYTES);
  const rowTemplate: string[] = [];
  for (const r of list) {
    for (const t of r.templates) {
      rows.set(t, rowTemplate.length * TEMPLATE_BYTES);
      rowTemplate.push(r.templateId);
    }
  }
  return { rows, rowTemplate };
}
