/**
 * The step-up keypad's digits in a fresh random order (a secure keypad, as Korean wallets use):
 * someone watching the shopper's hand learns positions, not digits. Fisher–Yates with
 * rejection sampling, so every order is equally likely.
 */
export function shuffledDigits(
  randomUint32: () => number = () => crypto.getRandomValues(new Uint32Array(1))[0]!,
): string[] {
  const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  for (let i = digits.length - 1; i > 0; i--) {
    const n = i + 1;
    const limit = 2 ** 32 - (2 ** 32 % n); // reject the biased tail
    let r: number;
    do r = randomUint32();
    while (r >= limit);
    const j = r % n;
    [digits[i], digits[j]] = [digits[j]!, digits[i]!];
  }
  return digits;
}
