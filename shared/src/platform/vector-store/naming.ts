/** Any RFC 4122-shaped UUID (v4 from randomUUID, v7, ...); the version is not the point, the shape is. */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Chroma collection holding one bot's vectors: `bot_<uuid>`. One collection per bot keeps tenants
 * apart without a metadata filter on every query (a `where` costs about 4x in query rate). The id must be
 * a UUID so that no caller-controlled text can name, or collide with, another bot's collection; it is
 * lower-cased because Chroma names are case-sensitive and the same bot must always map to one collection.
 * @throws TypeError if `botId` is not a UUID.
 */
export function collectionName(botId: string): string {
  if (typeof botId !== 'string' || !uuidPattern.test(botId)) {
    throw new TypeError(`Bot id must be a UUID, got ${JSON.stringify(botId)}`);
  }
  return `bot_${botId.toLowerCase()}`;
}

/**
 * The vector id of a document's chunk. Deterministic, so re-indexing a document overwrites its vectors
 * instead of adding copies.
 * @throws TypeError on an empty document id or a chunk index that is not a non-negative integer.
 */
export function chunkId(documentId: string, chunkIndex: number): string {
  if (typeof documentId !== 'string' || documentId.length === 0) {
    throw new TypeError('Document id must be a non-empty string');
  }
  if (!Number.isSafeInteger(chunkIndex) || chunkIndex < 0) {
    throw new TypeError(`Chunk index must be a non-negative integer, got ${chunkIndex}`);
  }
  return `${documentId}:${chunkIndex}`;
}
