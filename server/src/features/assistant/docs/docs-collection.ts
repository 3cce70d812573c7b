/**
 * The id of the assistant's own vector collection (`bot_<id>` in Chroma, like a bot's), which holds the
 * platform's documentation. It is reserved: it can never be a tenant's bot, because bot ids are made by
 * `randomUUID()` (always version 4) and this one has version 0, and because every route validates ids with
 * `z.uuid()`, which only accepts versions 1 to 8, so no request can even name it.
 */
export const ASSISTANT_DOCS_COLLECTION_ID = '00000000-0000-0000-0000-000000000d0c';
