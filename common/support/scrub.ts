/**
 * What may leave the lane in a log line or a diagnostics export: free text with anything that
 * looks like a card number, a phone number or another long digit string, an e-mail address, a
 * bearer token or a provisioning code replaced. Codes and counts pass; people's data does not.
 * A second line of defence: structured fields are redacted by name before text gets here.
 */
export function scrubText(s: string): string {
  return s
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]')
    .replace(/\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b/g, '[code]')
    .replace(/\b(?:\d[ -]?){6,}\d\b/g, '[digits]')
    .replace(/\b(token|bearer)[=: ]+[A-Za-z0-9._~+/-]{8,}/gi, '$1 [redacted]')
    .slice(0, 500);
}
