import type {
  CardPaymentUpdate,
  CardRefundResult,
  CardSetupOutcome,
  DeviceStatus,
} from '../../common/host/contract';
import type { Money } from '../../common/money';

/**
 * What the host needs from a card terminal, whatever its make. A real terminal's adapter (its
 * vendor SDK or a semi-integrated protocol) implements this; the emulator does when none is set.
 */
export interface CardTerminal {
  status(): DeviceStatus;
  /** Resolves when the terminal acknowledges the request; may never settle if it hangs. */
  begin(paymentId: string, amount: Money): Promise<CardPaymentUpdate>;
  cancel(paymentId: string): Promise<void>;
  payment(paymentId: string): CardPaymentUpdate | null;
  /** A referenced refund to the payment's card; idempotent on refundId. */
  refund(refundId: string, paymentId: string, amount: Money): Promise<CardRefundResult>;
  /**
   * Reads a card and has the processor save it for later use; settles once saved, declined,
   * cancelled (`cancel(setupId)`) or timed out. Idempotent on setupId.
   */
  setup(setupId: string, timeoutMs: number): Promise<CardSetupOutcome>;
  onUpdate(listener: (update: CardPaymentUpdate) => void): () => void;
}
