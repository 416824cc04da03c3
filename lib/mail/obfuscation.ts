/**
 * Pipermail hides addresses as `npiggin at gmail.com`. Pure (no Node
 * imports), so threading can use it in the browser too.
 */
const OBFUSCATED_IN_TEXT = /([^\s@<>()",;:]+) at ([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

/** Every `local at domain` in a header value or line of text, back to `local@domain` (domain lower-cased). */
export function deobfuscateText(value: string): string {
  return value.replace(OBFUSCATED_IN_TEXT, (_all, local: string, domain: string) => `${local}@${domain.toLowerCase()}`);
}
