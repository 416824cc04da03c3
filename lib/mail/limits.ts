/** Messages larger than this are rejected (MalformedMessage) rather than buffered and decoded. */
export const MAX_MESSAGE_BYTES = 50 * 1024 * 1024;
