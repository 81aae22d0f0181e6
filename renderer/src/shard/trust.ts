/** Who a stored shard must be for, and the cloud key that signs its manifests. */
export interface ShardTrust {
  readonly store: string;
  readonly terminalId: string;
  readonly cloudKey: JsonWebKey;
}
