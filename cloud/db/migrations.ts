import type { Database } from './types';

/**
 * The cloud's schema, as ordered SQL migrations that run unchanged on PGlite and PostgreSQL.
 * They live in a TypeScript module rather than .sql files so that bundlers (electron-vite for the
 * embedded cloud) carry them without a file-copy step. Never edit a released migration: add one.
 */
export const MIGRATIONS: readonly {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}[] = [
  {
    version: 1,
    name: 'stores, terminals, mutations, sales, catalog',
    sql: `
CREATE TABLE stores (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  settings         jsonb NOT NULL,
  settings_version bigint NOT NULL DEFAULT 0,
  -- per-store change counter: every catalog or settings change takes the next value while it
  -- holds this row's lock, so versions commit in order and a pull cursor never skips one
  change_seq       bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE provisioning_codes (
  code_sha256 text PRIMARY KEY,
  store_id    text NOT NULL REFERENCES stores(id),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  terminal_id text
);

CREATE TABLE terminals (
  id               text PRIMARY KEY,
  store_id         text NOT NULL REFERENCES stores(id),
  device_id        text NOT NULL,
  lane_code        text NOT NULL,
  public_key       jsonb NOT NULL,
  last_mutation_id bigint NOT NULL DEFAULT 0,
  app_version      text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_seen_at     timestamptz,
  revoked_at       timestamptz
);
CREATE INDEX terminals_store ON terminals(store_id);

CREATE TABLE request_nonces (
  terminal_id text NOT NULL,
  nonce       text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (terminal_id, nonce)
);
CREATE INDEX request_nonces_expiry ON request_nonces(expires_at);

-- Every processed mutation, applied or rejected: repeats answer from here, and rejected ones
-- keep their payload so nothing a terminal sent is ever lost.
CREATE TABLE mutations (
  terminal_id  text NOT NULL REFERENCES terminals(id),
  mutation_id  bigint NOT NULL,
  store_id     text NOT NULL REFERENCES stores(id),
  kind         text NOT NULL,
  status       text NOT NULL CHECK (status IN ('applied', 'rejected')),
  reason       text,
  payload      jsonb,
  created_at   timestamptz NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, mutation_id)
);
CREATE INDEX mutations_rejected ON mutations(store_id, processed_at) WHERE status = 'rejected';

CREATE TABLE sales (
  store_id     text NOT NULL REFERENCES stores(id),
  id           text NOT NULL,
  terminal_id  text NOT NULL REFERENCES terminals(id),
  mutation_id  bigint NOT NULL,
  receipt_no   text NOT NULL,
  currency     text NOT NULL,
  total        bigint NOT NULL,
  completed_at timestamptz NOT NULL,
  voided_at    timestamptz,
  void_reason  text,
  body         jsonb NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE INDEX sales_completed ON sales(store_id, completed_at);

CREATE TABLE sale_tenders (
  store_id    text NOT NULL,
  sale_id     text NOT NULL,
  seq         int NOT NULL,
  kind        text NOT NULL,
  amount      bigint NOT NULL,
  currency    text NOT NULL,
  payment_ref text,
  PRIMARY KEY (store_id, sale_id, seq),
  FOREIGN KEY (store_id, sale_id) REFERENCES sales(store_id, id)
);

-- Running totals: the figure a double-applied sale would corrupt, so the tests check it.
CREATE TABLE store_daily_totals (
  store_id    text NOT NULL REFERENCES stores(id),
  day         date NOT NULL,
  currency    text NOT NULL,
  sales_count bigint NOT NULL,
  gross       bigint NOT NULL,
  PRIMARY KEY (store_id, day, currency)
);

CREATE TABLE stored_payments (
  store_id    text NOT NULL REFERENCES stores(id),
  payment_id  text NOT NULL,
  sale_id     text NOT NULL,
  terminal_id text NOT NULL,
  method      text NOT NULL,
  amount      bigint NOT NULL,
  currency    text NOT NULL,
  stored_at   timestamptz NOT NULL,
  settled_at  timestamptz,
  PRIMARY KEY (store_id, payment_id)
);

CREATE TABLE audit_events (
  id          bigserial PRIMARY KEY,
  store_id    text NOT NULL REFERENCES stores(id),
  terminal_id text NOT NULL,
  kind        text NOT NULL,
  at          timestamptz NOT NULL,
  detail      jsonb NOT NULL
);
CREATE INDEX audit_events_store ON audit_events(store_id, at);

CREATE TABLE lane_status (
  terminal_id       text PRIMARY KEY REFERENCES terminals(id),
  store_id          text NOT NULL REFERENCES stores(id),
  at                timestamptz NOT NULL,
  queue_depth       int NOT NULL,
  oldest_pending_at timestamptz,
  app_version       text NOT NULL,
  scanner_state     text NOT NULL,
  received_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE catalog_items (
  store_id   text NOT NULL REFERENCES stores(id),
  product_id text NOT NULL,
  body       jsonb,
  deleted    boolean NOT NULL DEFAULT false,
  version    bigint NOT NULL,
  PRIMARY KEY (store_id, product_id)
);
CREATE INDEX catalog_items_version ON catalog_items(store_id, version);
`,
  },
  {
    version: 2,
    name: 'template shard feed',
    sql: `
-- The lane's ECDH P-256 public key (JWK): the shard key is wrapped for it.
ALTER TABLE terminals ADD COLUMN shard_key jsonb;

-- The cloud's ECDSA P-256 manifest-verification key for the store (public JWK).
ALTER TABLE stores ADD COLUMN shard_verify_key jsonb;

-- Published shard parts, as the builder in cloud/shard/ produced them: the exact signed manifest
-- text and the chunk ciphertexts. Nothing here is readable without a terminal's private key.
CREATE TABLE shard_parts (
  store_id    text NOT NULL REFERENCES stores(id),
  version     bigint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('full', 'delta', 'rekey')),
  base        bigint,
  manifest    text NOT NULL,
  signature   text NOT NULL,
  chunk_count int NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, version)
);

CREATE TABLE shard_chunks (
  store_id text NOT NULL,
  version  bigint NOT NULL,
  idx      int NOT NULL,
  bytes    bytea NOT NULL,
  PRIMARY KEY (store_id, version, idx),
  FOREIGN KEY (store_id, version) REFERENCES shard_parts(store_id, version)
);
`,
  },
  {
    version: 3,
    name: 'store rules history, refunds, heartbeat clock',
    sql: `
-- The rules a push is checked against, one row per settings version, so a payment stored (or a
-- sale made) offline is judged by the limits in force when it was taken, not when it arrived.
-- Only the rules are kept (profile and offline limits), never credentials.
CREATE TABLE store_settings_history (
  store_id   text NOT NULL REFERENCES stores(id),
  version    bigint NOT NULL,
  settings   jsonb NOT NULL,
  valid_from timestamptz NOT NULL,
  PRIMARY KEY (store_id, version)
);
CREATE INDEX store_settings_history_from ON store_settings_history(store_id, valid_from);
INSERT INTO store_settings_history (store_id, version, settings, valid_from)
  SELECT id, settings_version,
         jsonb_build_object('profileId', settings->'profileId', 'offline', settings->'offline'),
         created_at
  FROM stores;

-- Money paid back on a recorded sale; the sale row is locked while one is checked and written.
CREATE TABLE sale_refunds (
  store_id    text NOT NULL,
  refund_id   text NOT NULL,
  sale_id     text NOT NULL,
  terminal_id text NOT NULL REFERENCES terminals(id),
  mutation_id bigint NOT NULL,
  tender      text NOT NULL CHECK (tender IN ('cash', 'card')),
  amount      bigint NOT NULL CHECK (amount > 0),
  currency    text NOT NULL,
  lines       jsonb,
  reason      text NOT NULL,
  refunded_at timestamptz NOT NULL,
  PRIMARY KEY (store_id, refund_id),
  FOREIGN KEY (store_id, sale_id) REFERENCES sales(store_id, id)
);
CREATE INDEX sale_refunds_sale ON sale_refunds(store_id, sale_id);

-- The day's refunds, beside (never netted into) the day's sales.
ALTER TABLE store_daily_totals ADD COLUMN refunds_count bigint NOT NULL DEFAULT 0;
ALTER TABLE store_daily_totals ADD COLUMN refunded bigint NOT NULL DEFAULT 0;

-- Heartbeats dated in the future were stored as sent: bring them back to when they arrived, or
-- a lane that once sent 2099 would look alive forever (and no later heartbeat could replace it).
UPDATE lane_status SET at = received_at WHERE at > received_at + interval '5 minutes';
UPDATE lane_status SET oldest_pending_at = received_at
  WHERE oldest_pending_at > received_at + interval '5 minutes';
`,
  },
  {
    version: 5,
    name: 'staff credentials, scanner keys, shard-recipient approval, admin audit',
    sql: `
-- Per-person credentials (common/staff.ts): a PBKDF2 verifier, never the passcode. Disabled
-- staff stay for the audit and leave the store settings the lanes pull.
CREATE TABLE staff (
  store_id    text NOT NULL REFERENCES stores(id),
  id          text NOT NULL,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('manager', 'attendant')),
  verifier    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  disabled_at timestamptz,
  disabled_by text,
  PRIMARY KEY (store_id, id)
);

-- Palm scanners' attestation keys a manager approved for the store (SEC1 hex). At most one
-- active key per serial; payment authorization reads this table.
CREATE TABLE scanner_keys (
  store_id         text NOT NULL REFERENCES stores(id),
  serial           text NOT NULL,
  public_key       text NOT NULL,
  model            text NOT NULL,
  approved_by      text NOT NULL,
  approved_by_name text NOT NULL,
  approved_at      timestamptz NOT NULL DEFAULT now(),
  approved_via     text,
  revoked_at       timestamptz,
  revoked_by       text,
  PRIMARY KEY (store_id, serial, public_key)
);
CREATE UNIQUE INDEX scanner_keys_active ON scanner_keys(store_id, serial) WHERE revoked_at IS NULL;

-- A lane receives the template shard only once approved (shardRecipients).
ALTER TABLE terminals ADD COLUMN shard_approved_at timestamptz;
ALTER TABLE terminals ADD COLUMN shard_approved_by text;

ALTER TABLE provisioning_codes ADD COLUMN issued_by text;

-- What people did in the back office and the dashboard, naming who.
CREATE TABLE admin_audit (
  id       bigserial PRIMARY KEY,
  store_id text REFERENCES stores(id),
  at       timestamptz NOT NULL DEFAULT now(),
  actor    text NOT NULL,
  action   text NOT NULL,
  subject  text,
  detail   jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX admin_audit_store ON admin_audit(store_id, at);

-- The manager PIN's salted SHA-256 gives way to per-person staff verifiers in the settings;
-- lanes pull the change (a new settings version).
UPDATE stores SET settings = (settings - 'managerPin') || '{"staff": []}'::jsonb,
  change_seq = change_seq + 1, settings_version = change_seq + 1;
`,
  },
  {
    version: 6,
    name: 'dashboard sessions and one-time login links',
    sql: `
-- Only hashes: a database read gives no session and no link that works.
CREATE TABLE dashboard_sessions (
  id_sha256  text PRIMARY KEY,
  store_id   text REFERENCES stores(id),
  staff_id   text,
  actor      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions(expires_at);

CREATE TABLE login_links (
  token_sha256 text PRIMARY KEY,
  store_id     text REFERENCES stores(id),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz
);
`,
  },
  {
    version: 7,
    name: 'palm pay: shoppers, payments, spent captures',
    sql: `
-- The store's enrolled shoppers as the cloud authorizes palm payments for them. The enrolment
-- templates are sealed (cloud/payments/sealed-templates.ts): AES-256-GCM under a data key of
-- the shopper's own, wrapped by the master key behind a KeyVault. No plaintext template here.
CREATE TABLE shoppers (
  store_id      text NOT NULL REFERENCES stores(id),
  template_id   text NOT NULL,
  customer_ref  text NOT NULL,
  card_token    text NOT NULL,
  card_brand    text NOT NULL,
  card_last4    text NOT NULL,
  loyalty_id    text,
  age_verified  boolean NOT NULL,
  currency      text NOT NULL,
  per_payment   bigint NOT NULL,
  per_day       bigint NOT NULL,
  phone_salt    text NOT NULL,
  phone_hash    text NOT NULL,
  templates     jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, template_id)
);
CREATE INDEX shoppers_ref ON shoppers(customer_ref);

-- Palm payment attempts, online (POST /v1/payments) and stored (payment.stored with palm
-- evidence): the payment id is the idempotency key, the request's fingerprint tells a retry
-- from a different request, and the lease lets a retry take over from a worker that died.
CREATE TABLE payments (
  store_id       text NOT NULL REFERENCES stores(id),
  payment_id     text NOT NULL,
  terminal_id    text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('online', 'stored')),
  fingerprint    text NOT NULL,
  status         text NOT NULL CHECK (status IN ('pending', 'charging', 'approved', 'step-up', 'declined', 'cancelled')),
  sale_id        text,
  amount         bigint,
  currency       text,
  template_id    text,
  customer_ref   text,
  near_threshold boolean NOT NULL DEFAULT false,
  reason         text,
  outcome        jsonb,
  lease_until    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  paid_at        timestamptz,
  decided_at     timestamptz,
  PRIMARY KEY (store_id, payment_id)
);
CREATE INDEX payments_shopper ON payments(customer_ref, paid_at);
CREATE INDEX payments_lane ON payments(terminal_id, created_at);

-- Every signed capture a payment spent, per store and scanner: one capture, one payment
-- decision (and at most one step-up continuation of it), online or stored alike.
CREATE TABLE spent_captures (
  store_id       text NOT NULL REFERENCES stores(id),
  scanner_serial text NOT NULL,
  counter        bigint NOT NULL,
  host_nonce     text NOT NULL,
  payment_id     text NOT NULL,
  template_id    text NOT NULL,
  step_up_open   boolean NOT NULL DEFAULT false,
  spent_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, scanner_serial, counter)
);
CREATE UNIQUE INDEX spent_captures_nonce ON spent_captures(store_id, scanner_serial, host_nonce);
`,
  },
  {
    version: 9,
    name: 'e-receipt tokens',
    sql: `
-- The e-receipt link's token (common/e-receipt.ts): the first 128 bits of SHA-256 over a label,
-- the store id and the sale's random id. Computed, never stored, so the push is unchanged and the
-- index answers a lookup by token. IMMUTABLE holds: convert_to with a fixed encoding and sha256
-- depend on nothing but their arguments. (One line: written before splitStatements kept bodies whole.)
CREATE FUNCTION e_receipt_token(store_id text, sale_id text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$ BEGIN RETURN substr(encode(sha256(convert_to('palm-checkout e-receipt/1' || chr(10) || store_id || chr(10) || sale_id, 'UTF8')), 'hex'), 1, 32); END $$;
CREATE INDEX sales_e_receipt_token ON sales (e_receipt_token(store_id, id));
`,
  },
  {
    version: 10,
    name: 'self-checkout kiosks: live status and the attendant console decisions',
    sql: `
-- The latest report of each kiosk (one row per lane, replaced each time it reports).
CREATE TABLE kiosk_status (
  terminal_id text PRIMARY KEY REFERENCES terminals(id),
  store_id    text NOT NULL REFERENCES stores(id),
  status      jsonb NOT NULL,
  reported_at timestamptz NOT NULL
);
CREATE INDEX kiosk_status_store ON kiosk_status(store_id);

-- An attendant's approve/deny from the console, until the kiosk has applied it. One per
-- intervention: a second click, or a second attendant, changes nothing.
CREATE TABLE kiosk_decisions (
  id              bigserial PRIMARY KEY,
  store_id        text NOT NULL REFERENCES stores(id),
  terminal_id     text NOT NULL REFERENCES terminals(id),
  intervention_id text NOT NULL,
  decision        text NOT NULL CHECK (decision IN ('approve', 'deny')),
  staff_id        text NOT NULL,
  staff_name      text NOT NULL,
  staff_role      text NOT NULL,
  decided_at      timestamptz NOT NULL,
  applied_at      timestamptz,
  UNIQUE (terminal_id, intervention_id)
);
`,
  },
  {
    version: 11,
    name: 'tills: shifts, pay-ins and pay-outs, Z reports; who approved voids and refunds',
    sql: `
-- One till's shift on one lane: opened with a float, closed with a drawer counted by
-- denomination. The report is the cloud's own derivation (common/shift/z-report.ts) from the
-- sales, voids, refunds and cash entries it recorded, never the lane's figures.
CREATE TABLE shifts (
  store_id      text NOT NULL REFERENCES stores(id),
  shift_id      text NOT NULL,
  terminal_id   text NOT NULL REFERENCES terminals(id),
  currency      text NOT NULL,
  float         bigint NOT NULL CHECK (float >= 0),
  opened_at     timestamptz NOT NULL,
  opened_by     text,
  closed_at     timestamptz,
  closed_by     text,
  counted       jsonb,
  counted_total bigint,
  report        jsonb,
  PRIMARY KEY (store_id, shift_id)
);
CREATE INDEX shifts_terminal ON shifts(terminal_id, opened_at);
CREATE UNIQUE INDEX shifts_one_open ON shifts(terminal_id) WHERE closed_at IS NULL;

CREATE TABLE shift_cash (
  store_id    text NOT NULL,
  entry_id    text NOT NULL,
  shift_id    text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('pay-in', 'pay-out')),
  amount      bigint NOT NULL CHECK (amount > 0),
  reason      text NOT NULL,
  at          timestamptz NOT NULL,
  approved_by text,
  PRIMARY KEY (store_id, entry_id),
  FOREIGN KEY (store_id, shift_id) REFERENCES shifts(store_id, shift_id)
);

ALTER TABLE sales ADD COLUMN void_approved_by text;
ALTER TABLE sale_refunds ADD COLUMN approved_by text;
ALTER TABLE sale_refunds ADD COLUMN processor_ref text;
CREATE INDEX sale_refunds_terminal ON sale_refunds(terminal_id, refunded_at);
CREATE INDEX sales_terminal ON sales(terminal_id, completed_at);
`,
  },
  {
    version: 12,
    name: 'enrolment at a lane, deletion and retention',
    sql: `
-- What enrolment adds to a shopper (cloud/enrolment/): the keyed hash of the E.164 phone for
-- look-up, consent, the lane that enrolled them, and an attendant's age check kept only as the
-- verified minimum age with who and when (never a date of birth).
ALTER TABLE shoppers ADD COLUMN phone_key text;
ALTER TABLE shoppers ADD COLUMN consent_at timestamptz;
ALTER TABLE shoppers ADD COLUMN enrolled_by_terminal text;
ALTER TABLE shoppers ADD COLUMN age_minimum integer;
ALTER TABLE shoppers ADD COLUMN age_verified_by text;
ALTER TABLE shoppers ADD COLUMN age_verified_at timestamptz;
ALTER TABLE shoppers ADD COLUMN updated_at timestamptz;
CREATE INDEX shoppers_phone_key ON shoppers(store_id, phone_key);

-- A per-store secret for the phone's keyed hash (HMAC-SHA-256), wrapped by the KeyVault.
CREATE TABLE store_secrets (
  store_id    text PRIMARY KEY REFERENCES stores(id),
  phone_key   jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Enrolment captures are spent in spent_captures (migration 7) with payment_id 'enrolment:<id>'.

-- The answer to each enrolment id, so a lane's retry after a lost answer gets it again.
CREATE TABLE enrolments (
  store_id      text NOT NULL REFERENCES stores(id),
  enrolment_id  text NOT NULL,
  terminal_id   text NOT NULL,
  template_id   text NOT NULL,
  answer        jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, enrolment_id)
);

-- Deletion requests and their tombstones. The tombstone is published at once (no lane matches
-- the palm after its next pull); the shopper's row, with its sealed templates and wrapped data
-- key, is removed once their outstanding stored payments can have settled (completed_at).
CREATE TABLE shopper_deletions (
  store_id      text NOT NULL REFERENCES stores(id),
  template_id   text NOT NULL,
  customer_ref  text NOT NULL,
  via           text NOT NULL CHECK (via IN ('lane-palm', 'lane-manager', 'dashboard', 'retention')),
  requested_by  text NOT NULL,
  requested_at  timestamptz NOT NULL,
  not_before    timestamptz NOT NULL,
  completed_at  timestamptz,
  PRIMARY KEY (store_id, template_id)
);
CREATE INDEX shopper_deletions_open ON shopper_deletions(store_id) WHERE completed_at IS NULL;

-- Retention: shoppers with no palm use for this many days are deleted (default 730: 2 years).
CREATE TABLE store_retention (
  store_id     text PRIMARY KEY REFERENCES stores(id),
  unused_days  integer NOT NULL CHECK (unused_days BETWEEN 1 AND 3650),
  changed_by   text NOT NULL,
  changed_at   timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 14,
    name: 'wallet payments, and palm refunds back through the processor',
    sql: `
-- Wallet payments (POST /v1/wallet-payments): the payment id is the idempotency key, the
-- request's fingerprint tells a retry from another request, the lease lets a retry take over
-- from a worker that died (the wallet adapter's own idempotency key keeps the charge single).
CREATE TABLE wallet_payments (
  store_id     text NOT NULL REFERENCES stores(id),
  payment_id   text NOT NULL,
  terminal_id  text NOT NULL,
  fingerprint  text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'cancelled')),
  sale_id      text,
  amount       bigint,
  currency     text,
  reason       text,
  outcome      jsonb,
  lease_until  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  decided_at   timestamptz,
  PRIMARY KEY (store_id, payment_id)
);

-- Every wallet code a payment presented, as SHA-256 (the code is a bearer credential and is
-- never stored): one code, one payment attempt, across every store, whatever the wallet says.
CREATE TABLE wallet_codes (
  code_hash   text PRIMARY KEY,
  store_id    text NOT NULL,
  payment_id  text NOT NULL,
  spent_at    timestamptz NOT NULL DEFAULT now()
);

-- Palm refunds go back through the processor from the cloud (POST /v1/palm-refunds), each with
-- its own idempotency key (the refund id); the lane's sale.refunded for it must match one here.
CREATE TABLE palm_refunds (
  store_id      text NOT NULL REFERENCES stores(id),
  refund_id     text NOT NULL,
  sale_id       text NOT NULL,
  payment_id    text NOT NULL,
  terminal_id   text NOT NULL,
  fingerprint   text NOT NULL,
  amount        bigint NOT NULL CHECK (amount > 0),
  currency      text NOT NULL,
  lines         jsonb,
  status        text NOT NULL CHECK (status IN ('refunding', 'refunded', 'failed')),
  approved_by   text NOT NULL,
  processor_ref text,
  reason        text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  decided_at    timestamptz,
  PRIMARY KEY (store_id, refund_id)
);
CREATE INDEX palm_refunds_sale ON palm_refunds(store_id, sale_id);

-- A refund may now go back to a palm payment's card on file.
ALTER TABLE sale_refunds DROP CONSTRAINT sale_refunds_tender_check;
ALTER TABLE sale_refunds ADD CONSTRAINT sale_refunds_tender_check CHECK (tender IN ('cash', 'card', 'palm'));
`,
  },
  {
    version: 15,
    name: 'non-mated scores measured at enrolment, for the store policy fit',
    sql: `
-- One row per enrolment capture of a new shopper: its best score against every shopper the
-- store had enrolled then (gallery = their templates). Numbers only, no template data
-- (cloud/enrolment/policy-refit.ts). Deleting the shopper deletes theirs (derived from their palm).
CREATE TABLE nonmated_scores (
  store_id      text NOT NULL REFERENCES stores(id),
  enrolment_id  text NOT NULL,
  score         integer NOT NULL,
  gallery       integer NOT NULL CHECK (gallery >= 1),
  measured_at   bigint NOT NULL
);
CREATE INDEX nonmated_scores_store ON nonmated_scores (store_id, gallery, score);
`,
  },
  {
    version: 16,
    name: "each store's gallery size, kept by a trigger",
    sql: `
-- How many templates each store's gallery holds: the N of every 1:N decision, read by each palm
-- payment (cloud/payments/shoppers.ts). Summing it over the shoppers' sealed templates read
-- every shopper row per payment; the trigger keeps the sum in step with every insert, template
-- change and deletion, in the same transaction.
CREATE TABLE store_galleries (
  store_id   text PRIMARY KEY REFERENCES stores(id),
  templates  bigint NOT NULL CHECK (templates >= 0)
);
INSERT INTO store_galleries (store_id, templates)
  SELECT store_id, sum((templates->>'count')::int) FROM shoppers GROUP BY store_id;
CREATE FUNCTION shoppers_gallery_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE store_galleries SET templates = templates - (OLD.templates->>'count')::int
      WHERE store_id = OLD.store_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO store_galleries (store_id, templates)
      VALUES (NEW.store_id, (NEW.templates->>'count')::int)
      ON CONFLICT (store_id) DO UPDATE SET templates = store_galleries.templates + EXCLUDED.templates;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER shoppers_gallery AFTER INSERT OR DELETE OR UPDATE OF templates, store_id ON shoppers
  FOR EACH ROW EXECUTE FUNCTION shoppers_gallery_count();
`,
  },
  {
    version: 17,
    name: "a lane's near-threshold matches by an index of their own",
    sql: `
-- The risk rules count a lane's near-threshold matches of the last half hour on every palm
-- payment (cloud/payments/risk-facts.ts). payments_lane orders a lane's payments by created_at
-- and holds every one, so the count read all the lane's payments ever: 31 ms a payment at a lane
-- with 100 000 behind it. This index holds only the near-threshold ones, by decision time.
CREATE INDEX payments_lane_near ON payments (terminal_id, decided_at) WHERE near_threshold;
`,
  },
];

/**
 * Applies pending migrations, each in its own transaction with its version row. An advisory lock
 * keeps two service instances starting at once against one PostgreSQL from racing.
 */
export async function migrate(db: Database): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7311)');
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
  });
  return applied;
}

/**
 * Splits a migration on statement-ending semicolons (";" then a line break). A dollar-quoted
 * body (`$$ … $$`, a function's) is kept whole, semicolons and all.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  sql.split('$$').forEach((piece, i) => {
    if (i % 2 === 1) {
      current += `$$${piece}$$`; // inside a body
      return;
    }
    const [first = '', ...rest] = piece.split(/;\s*\n/);
    current += first;
    for (const r of rest) {
      statements.push(current);
      current = r;
    }
  });
  statements.push(current);
  return statements
    .map((s) =>
      s
        .replace(/^\s*--.*$/gm, '')
        .replace(/;\s*$/, '')
        .trim(),
    )
    .filter((s) => s.length > 0);
}
