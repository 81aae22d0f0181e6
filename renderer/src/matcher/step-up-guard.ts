/**
 * Wrong step-up digits per record, counted where the salted hashes live (the matcher worker).
 * Four digits are only 10 000 guesses: the lane's machine allows 3 tries a sale, and this guard
 * holds even if the page were scripted to skip that, by refusing a record for an hour after
 * `maxWrong` wrong tries within that hour. A right answer clears the record's count.
 */
export class StepUpGuard {
  private readonly wrong = new Map<string, number[]>();

  constructor(
    private readonly maxWrong = 6,
    private readonly windowMs = 3_600_000,
  ) {}

  /** Whether the record may be checked now. */
  allows(templateId: string, now: number): boolean {
    return this.recent(templateId, now).length < this.maxWrong;
  }

  record(templateId: string, ok: boolean, now: number): void {
    if (ok) this.wrong.delete(templateId);
    else this.wrong.set(templateId, [...this.recent(templateId, now), now]);
  }

  private recent(templateId: string, now: number): number[] {
    return (this.wrong.get(templateId) ?? []).filter((t) => now - t < this.windowMs);
  }
}
