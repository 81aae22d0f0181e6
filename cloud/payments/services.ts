import type { WalletAdapter } from '../wallet/adapter';
import { EmulatedWallet } from '../wallet/emulated-wallet';
import { EmulatedProcessor } from './emulated-processor';
import { LocalKeyVault, type KeyVault } from './key-vault';
import type { PaymentProcessor } from './processor';
import { ShopperStore, type DemoShopperSeed } from './shoppers';

/** What palm payment authorization needs beyond the database: the processor and the shoppers. */
export interface PaymentServices {
  readonly processor: PaymentProcessor;
  readonly shoppers: ShopperStore;
  /** The wallet provider behind the wallet tender (cloud/wallet/). */
  readonly wallet: WalletAdapter;
}

export interface PaymentOptions {
  /** The card processor (default: the emulated one, cloud/payments/emulated-processor.ts). */
  readonly processor?: PaymentProcessor;
  /**
   * Wraps the shoppers' template data keys. Default: a random master key in memory, which suits
   * only an in-memory database (cloud/embedded.ts loads the configured one).
   */
  readonly vault?: KeyVault;
  /** The demo store's shoppers, enrolled on first use (cloud/demo-shoppers.ts). */
  readonly demoShoppers?: DemoShopperSeed;
  /** The wallet provider (default: the emulated one, cloud/wallet/emulated-wallet.ts). */
  readonly wallet?: WalletAdapter;
  /** A ready shopper store (tests that enrol their own shoppers); overrides vault and demoShoppers. */
  readonly shoppers?: ShopperStore;
}

export function paymentServices(o: PaymentOptions = {}): PaymentServices {
  const vault = o.vault ?? new LocalKeyVault(crypto.getRandomValues(new Uint8Array(32)));
  return {
    processor: o.processor ?? new EmulatedProcessor(),
    shoppers: o.shoppers ?? new ShopperStore(vault, o.demoShoppers ?? null),
    wallet: o.wallet ?? new EmulatedWallet(),
  };
}
