import Dexie, { type EntityTable } from 'dexie';
import { searchWords } from '../../../common/catalog';
import {
  DB_NAME,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  type AuditRow,
  type CatalogRow,
  type DraftRow,
  type OutboxRow,
  type RefundRow,
  type SettingRow,
  type ShiftRow,
  type VoidRow,
} from './schema';
import type { Sale } from '../../../common/sale';

export class TerminalDatabase extends Dexie {
  catalog!: EntityTable<CatalogRow, 'id'>;
  sales!: EntityTable<Sale, 'id'>;
  outbox!: EntityTable<OutboxRow, 'mutationId'>;
  audit!: EntityTable<AuditRow, 'id'>;
  settings!: EntityTable<SettingRow, 'key'>;
  drafts!: EntityTable<DraftRow, 'id'>;
  shifts!: EntityTable<ShiftRow, 'id'>;
  voids!: EntityTable<VoidRow, 'saleId'>;
  refunds!: EntityTable<RefundRow, 'refundId'>;

  constructor(
    name = DB_NAME,
    options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {},
  ) {
    // 'strict' makes a committed sale hit the disk before the commit resolves (Chrome defaults
    // to relaxed, which can lose the last writes on power loss).
    super(name, { chromeTransactionDurability: 'strict', ...options });
    this.version(1).stores(SCHEMA_V1);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade(async (tx) => {
        await tx
          .table<CatalogRow>('catalog')
          .toCollection()
          .modify((row) => {
            (row as { words: string[] }).words = searchWords(row.name);
          });
      });
    this.version(3).stores(SCHEMA_V3); // new tables only: nothing to upgrade
  }
}

let instance: TerminalDatabase | null = null;

/** The lane's database, opened once per page. */
export function terminalDb(): TerminalDatabase {
  instance ??= new TerminalDatabase();
  return instance;
}
